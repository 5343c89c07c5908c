package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/sample"
)

// TestSampleFits: the sample fits the example program, and what would load
// it wrong (a bad deal row, a missing deals column, a program without a
// metric the deals add up to) is refused before anything is written.
func TestSampleFits(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("config.example.toml", example)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	files, err := sample.Files(today)
	if err != nil {
		t.Fatal(err)
	}
	withDeals := func(deals []byte) sample.Data { d := files; d.Deals = deals; return d }
	without := func(metric string) *model.Program {
		p := *cfg.Program
		p.Metrics = slices.DeleteFunc(slices.Clone(p.Metrics), func(m model.Metric) bool { return m.Key == metric })
		return &p
	}
	lines := bytes.Count(files.Deals, []byte("\r\n"))
	for _, tc := range []struct {
		name string
		prog *model.Program
		data sample.Data
		want string // in the error; "" for none
	}{
		{"the sample", cfg.Program, files, ""},
		{"a generated program, without deals", cfg.Program, sample.Generate(20, today), ""},
		{"a negative amount", cfg.Program,
			withDeals(append(slices.Clone(files.Deals), "006Hs00000zzzzzIAA,X - Pilot,X,Ashgrove Digital,-$5.00,Closed Won,8/3/2026,8/9/2026,Yes,,\r\n"...)),
			sample.DealsFile + ":" + strconv.Itoa(lines+1) + ": Amount:"},
		{"a deals column missing", cfg.Program,
			withDeals(bytes.Replace(files.Deals, []byte("Partner Account"), []byte("Partner"), 1)),
			"Partner Account"},
		{"no sourced revenue metric", without(model.MetricSourcedRevenue), files, `"sourced_revenue"`},
		{"no registered deals metric", without(model.MetricRegisteredDeals), files, `"registered_deals"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sampleFits(tc.prog, tc.data)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}
