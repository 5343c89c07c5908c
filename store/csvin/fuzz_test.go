package csvin

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/.

// checkRowErrors holds for every error a parser reports: it names the
// file, a line that exists and a column, and what it quotes of the file
// carries no control character, escape or bidi control to the terminal.
func checkRowErrors(t *testing.T, data []byte, bad []RowError) {
	t.Helper()
	lines := bytes.Count(data, []byte("\n")) + 1
	for _, e := range bad {
		if e.File != "f.csv" || e.Line < 1 || e.Line > lines || e.Column == "" || e.Reason == "" {
			t.Fatalf("bad row error %#v (file has %d lines)", e, lines)
		}
		if !safetext.IsClean(e.Column) {
			t.Fatalf("column name not clean: %q", e.Column)
		}
		if strings.ContainsFunc(e.Error(), safetext.Unsafe) {
			t.Fatalf("error not clean: %q", e.Error())
		}
	}
}

func fileError(t *testing.T, data []byte, err error) {
	t.Helper()
	var re *RowError
	if !errors.As(err, &re) {
		return // a column-mapping error, not about the file
	}
	checkRowErrors(t, data, []RowError{*re})
}

func clean(t *testing.T, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if !safetext.IsClean(f) {
			t.Fatalf("text not clean: %q", f)
		}
	}
}

func FuzzParseRoster(f *testing.F) {
	prog := testProgram()
	f.Fuzz(func(t *testing.T, data []byte) {
		ro, err := ParseRoster("f.csv", data, prog)
		if err != nil {
			fileError(t, data, err)
			return
		}
		checkRowErrors(t, data, ro.Bad)
		seen := map[string]bool{}
		for _, r := range ro.Rows {
			if r.ID == "" || model.Slug(r.ID) != r.ID || seen[r.ID] {
				t.Fatalf("bad or repeated id %q", r.ID)
			}
			seen[r.ID] = true
			if r.Name == "" {
				t.Fatal("blank name accepted")
			}
			clean(t, r.Name, r.Manager)
			clean(t, r.Aliases...)
			clean(t, r.Domains...)
			if _, ok := prog.Tier(r.Tier); r.Tier != "" && !ok {
				t.Fatalf("unknown tier %q accepted", r.Tier)
			}
			if _, ok := prog.Track(r.Track); r.Track != "" && !ok {
				t.Fatalf("unknown track %q accepted", r.Track)
			}
		}
	})
}

func FuzzParseProduction(f *testing.F) {
	prog := testProgram()
	cols := ProductionColumns{Partner: "Account", Period: "period", Metrics: map[string]string{"sourced_pipeline": "Pipeline ($)"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []ProductionColumns{DefaultProductionColumns(), cols} {
			pr, err := ParseProduction("f.csv", data, prog, c)
			if err != nil {
				fileError(t, data, err)
				continue
			}
			checkRowErrors(t, data, pr.Bad)
			for _, r := range pr.Rows {
				clean(t, r.Partner)
				if r.Partner == "" || r.Period.IsZero() || r.Period.Cad != model.Quarterly || len(r.Values) != len(pr.Metrics) {
					t.Fatalf("bad row accepted: %+v", r)
				}
				for i, v := range r.Values {
					m, _ := prog.Metric(pr.Metrics[i])
					if math.IsInf(v, 0) || (m.Unit == model.Count && !Absent(v) && (v < 0 || v != math.Trunc(v))) {
						t.Fatalf("value %v accepted for %s", v, m.Key)
					}
				}
			}
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		for _, u := range []model.Unit{model.Money, model.Count, model.Percent} {
			v, err := ParseNumber(s, u)
			if err != nil {
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseNumber(%q, %s) = %v", s, u, v)
			}
			if u == model.Count && (v < 0 || v != math.Trunc(v)) {
				t.Fatalf("count %q read as %v", s, v)
			}
		}
	})
}

func FuzzParseDeals(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := ParseDeals("f.csv", data, DefaultDealColumns())
		if err != nil {
			fileError(t, data, err)
			return
		}
		checkRowErrors(t, data, ds.Bad)
		checkRowErrors(t, data, ds.Warnings)
		seen := map[string]bool{}
		for _, r := range ds.Rows {
			clean(t, r.ID, r.Partner)
			if r.ID == "" || r.Partner == "" || seen[r.ID] {
				t.Fatalf("blank or repeated deal %+v", r)
			}
			seen[r.ID] = true
			if r.Amount < 0 || math.IsNaN(r.Amount) || math.IsInf(r.Amount, 0) {
				t.Fatalf("bad amount %v", r.Amount)
			}
			if r.Created.IsZero() || r.Stage != model.StageOpen && r.Closed.IsZero() {
				t.Fatalf("missing dates %+v", r)
			}
		}
	})
}
