package store

import "testing"

// For the external benchmarks (package store_test), which drive the app.
var (
	GenStore    = genStore
	TestProgram = testProgram
	LiveBytes   = liveBytes
)

// RawScan is BenchmarkRawScan10k's and 100k's one pass: open the file, walk partners and
// production, decode every record.
func (s *Store) RawScan(b *testing.B) { rawScan(b, s) }
