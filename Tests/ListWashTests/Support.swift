// The helpers every test target shares: a scratch folder, the package root, running `listwash`.
@_exported import ListWashTestSupport
