package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/store/csvin"
)

// dealsExportOf is a deals export of n deals over partners partners (named
// by name, as a CRM writes them), four quarters of them, in id order.
func dealsExportOf(n, partners int) []byte {
	var b strings.Builder
	b.WriteString(dealsHead)
	stages := []string{"Closed Won", "Closed Lost", "Negotiation"}
	for i := range n {
		j := (i * 7919) % partners
		m := 1 + i%12
		closed := ""
		if stage := stages[i%3]; stage != "Negotiation" {
			closed = fmt.Sprintf("2026-%02d-28", m)
		}
		fmt.Fprintf(&b, "D%07d,Partner %06d Systems,\"$%d,%03d.50\",%s,2026-%02d-%02d,%s,%v,\n",
			i, j, 1+i%90, i%1000, stages[i%3], m, 1+i%27, closed, i%2 == 0)
	}
	return []byte(b.String())
}

// BenchmarkImportDeals imports 100k deals of 10k partners into a store
// that has the partners and four quarters of production: a first import,
// and the same deals again under another name (every deal stored, nothing
// to change).
func BenchmarkImportDeals(b *testing.B) {
	const partners, deals = 10_000, 100_000
	data := dealsExportOf(deals, partners)
	again := append([]byte(nil), data...)
	again = append(again, '\n') // other bytes, the same deals
	src := genStore(b, partners)
	for _, bench := range []struct {
		name   string
		second bool
	}{{"first", false}, {"again", true}} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "copy.db")
				if err := src.Backup(path); err != nil {
					b.Fatal(err)
				}
				s, err := Open(path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if bench.second {
					if _, err := s.ImportDeals("deals.csv", data, testProgram(), csvin.DefaultDealColumns(), ImportOptions{}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				rep, err := s.ImportDeals("deals2.csv", again, testProgram(), csvin.DefaultDealColumns(), ImportOptions{})
				if err != nil || rep.Written != deals {
					b.Fatal(rep.Written, err)
				}
			}
		})
	}
}
