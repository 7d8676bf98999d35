public enum ListWashCoreVersion { public static let string = "0.1.0" }
