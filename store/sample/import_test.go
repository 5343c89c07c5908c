package sample

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

// TestImportThroughStore: the sample loaded through the store's own
// importers, the deals with the default columns, holds the drawn
// production to the cent, and the deals import reads every row.
func TestImportThroughStore(t *testing.T) {
	example, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("config.example.toml", example)
	if err != nil {
		t.Fatal(err)
	}
	today := todays[0]
	st, err := store.Create(filepath.Join(t.TempDir(), "sample.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := mustFiles(t, today)
	opts := store.ImportOptions{Now: today}
	var deals store.ImportReport
	err = Load(d, Importers{
		Partners: func(name string, csv []byte) error {
			_, err := st.ImportPartners(name, csv, cfg.Program, opts)
			return err
		},
		Deals: func(name string, csv []byte) (err error) {
			deals, err = st.ImportDeals(name, csv, cfg.Program, store.DefaultDealColumns(), opts)
			return err
		},
		Production: func(name string, csv []byte) error {
			_, err := st.ImportProduction(name, csv, cfg.Program, store.DefaultProductionColumns(), opts)
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := len(parseDeals(t, d.Deals))
	if deals.Rows != rows || len(deals.Bad) > 0 || len(deals.Unknown) > 0 || len(deals.Created) > 0 {
		t.Errorf("deals import: %d of %d rows, bad %v, unknown %v, created %v", deals.Rows, rows, deals.Bad, deals.Unknown, deals.Created)
	}

	want := drawn(t, today)
	got := productionMap{}
	for id := range want {
		s, err := st.Series(id)
		if err != nil {
			t.Fatal(err)
		}
		got[id] = s.Map()
	}
	for _, diff := range sameProduction(got, want) {
		t.Error(diff)
	}
	if ps, err := st.Periods(); err != nil || len(ps) != 4 || ps[0] != model.LastComplete(today, model.Quarterly).Step(-3) {
		t.Errorf("the store's periods: %v, %v; want the four quarters of the sample", ps, err)
	}
}
