// The library users import: the core types come along.
@_exported import ListWashCore
