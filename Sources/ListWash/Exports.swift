import ListWashCore
import ListWashNormalize
@_exported import ListWashCore
