package sample

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// drawn is testdata/drawn_production.csv dated for today: every metric of
// every partner and quarter as mkdata drew it, before it became deals.
func drawn(t testing.TB, today time.Time) productionMap {
	t.Helper()
	raw, err := os.ReadFile("testdata/drawn_production.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := resolver{p0: model.LastComplete(today, model.Quarterly)}
	data, err := r.rewrite(raw, "drawn_production.csv", map[string]func(string) (string, error){"period": r.periodCell})
	if err != nil {
		t.Fatal(err)
	}
	return parseRows(t, "drawn production", data, metricColumns)
}

// sameProduction lists how got differs from want, money to the cent.
func sameProduction(got, want productionMap) []string {
	var diffs []string
	for id, periods := range want {
		for q, vals := range periods {
			g, ok := got[id][q]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s %s: missing", id, q))
				continue
			}
			for _, k := range metricColumns {
				if gv, ok := g[k]; !ok {
					diffs = append(diffs, fmt.Sprintf("%s %s %s: absent, want %v", id, q, k, vals[k]))
				} else if math.Round(gv*100) != math.Round(vals[k]*100) {
					diffs = append(diffs, fmt.Sprintf("%s %s %s: %v, want %v", id, q, k, gv, vals[k]))
				}
			}
		}
	}
	for id, periods := range got {
		for q := range periods {
			if _, ok := want[id][q]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s %s: not drawn, yet there", id, q))
			}
		}
	}
	slices.Sort(diffs)
	return diffs
}

// TestDealsReproduceDrawnProduction: the deals export, added up by the
// rules, plus the rows give back every drawn metric of every partner and
// quarter to the cent, and nothing else, on any day.
func TestDealsReproduceDrawnProduction(t *testing.T) {
	for _, today := range todays {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			d := mustFiles(t, today)
			got := map[string]map[model.Period]map[string]float64{}
			for id, s := range production(t, d) {
				got[id] = s.Map()
			}
			want := drawn(t, today)
			if len(want) != 80 {
				t.Fatalf("drawn production for %d partners, want 80", len(want))
			}
			for _, diff := range sameProduction(got, want) {
				t.Error(diff)
			}
		})
	}
}

// TestDealsQuirks: the export looks like one a partner manager gets out of
// Salesforce, with what real exports carry.
func TestDealsQuirks(t *testing.T) {
	today := todays[0]
	d := mustFiles(t, today)
	deals := parseDeals(t, d.Deals)
	partners := parseRoster(t, d.Roster)
	names, aliases := map[string]bool{}, map[string]bool{}
	for _, p := range partners {
		names[p.Name] = true
		for _, a := range p.Aliases {
			aliases[a] = true
		}
	}
	count := func(f func(sampleDeal) bool) int {
		n := 0
		for _, d := range deals {
			if f(d) {
				n++
			}
		}
		return n
	}
	open := func(d sampleDeal) bool { return d.stage != "Closed Won" && d.stage != "Closed Lost" }
	for _, tc := range []struct {
		what string
		n    int
		min  int
	}{
		{"a byte-order mark", boolCount(bytes.HasPrefix(d.Deals, []byte("\ufeffOpportunity ID,"))), 1},
		{"CRLF line ends, and no bare LF", boolCount(bytes.Count(d.Deals, []byte("\r\n")) > len(deals) && bytes.Count(d.Deals, []byte("\n")) == bytes.Count(d.Deals, []byte("\r\n"))), 1},
		{"a quoted partner name with a comma", bytes.Count(d.Deals, []byte(`,"Hartley, Moss & Co",`)), 1},
		{"a quoted cell across lines", bytes.Count(d.Deals, []byte("\"Legal review,\r\nthen PO\"")), 1},
		{"dollar amounts with thousands", bytes.Count(d.Deals, []byte(`,"$`)), 100},
		{"amounts to the cent", count(func(d sampleDeal) bool { return d.cents%100 != 0 }), 10},
		{"US dates", bytes.Count(d.Deals, []byte("/"+today.Format("2006")+",")), 100},
		{"deals won", count(func(d sampleDeal) bool { return d.stage == "Closed Won" }), 100},
		{"deals lost", count(func(d sampleDeal) bool { return d.stage == "Closed Lost" }), 100},
		{"deals open", count(open), 100},
		{"open deals in a stage like Negotiation", count(func(d sampleDeal) bool { return d.stage == "Negotiation/Review" }), 10},
		{"direct deals (no partner)", count(func(d sampleDeal) bool { return d.partner == "" }), 5},
		{"influenced deals", count(func(d sampleDeal) bool { return d.partner != "" && !d.sourced }), 50},
		{"registered deals", count(func(d sampleDeal) bool { return !d.registered.IsZero() }), 100},
		{"blank amounts", count(func(d sampleDeal) bool { return d.blankAmount }), 1},
		{"partners named by alias", count(func(d sampleDeal) bool { return aliases[d.partner] && !names[d.partner] }), 20},
		{"partners named by an id", count(func(d sampleDeal) bool { return d.partner != "" && !names[d.partner] && !aliases[d.partner] }), 0},
	} {
		if tc.min == 0 && tc.n != 0 {
			t.Errorf("%s: %d, want none", tc.what, tc.n)
		} else if tc.n < tc.min {
			t.Errorf("%s: %d, want at least %d", tc.what, tc.n, tc.min)
		}
	}
	seen := map[string]int{}
	for _, d := range deals {
		if len(d.id) != 18 || !strings.HasPrefix(d.id, "006") {
			t.Errorf("line %d: %q is not a Salesforce opportunity id", d.line, d.id)
		}
		if first, dup := seen[d.id]; dup {
			t.Errorf("line %d: deal %s again (first on line %d)", d.line, d.id, first)
		}
		seen[d.id] = d.line
	}
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestDealsDates: no deal reaches before the sample's first quarter (that
// would be production before it, and change the grace counting) or before
// its partner joined; closed deals closed after they were created and by
// the end of P0.
func TestDealsDates(t *testing.T) {
	for _, today := range todays {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			d := mustFiles(t, today)
			periods := Periods(today)
			first, last := periods[0].Start(), periods[3].End()
			joined := map[string]time.Time{}
			for _, p := range parseRoster(t, d.Roster) {
				joined[p.Name] = p.Joined
				for _, a := range p.Aliases {
					joined[a] = p.Joined
				}
			}
			for _, dl := range parseDeals(t, d.Deals) {
				for _, dt := range []struct {
					what string
					at   time.Time
				}{{"created", dl.created}, {"registered", dl.registered}, {"closed", dl.closed}} {
					if !dt.at.IsZero() && dt.at.Before(first) {
						t.Errorf("line %d: %s %s, before the first quarter %s", dl.line, dt.what, dt.at.Format(time.DateOnly), periods[0])
					}
				}
				if j, ok := joined[dl.partner]; ok && (dl.created.Before(j) || !dl.registered.IsZero() && dl.registered.Before(j)) {
					t.Errorf("line %d: %s's deal created %s, registered %s, before it joined on %s", dl.line, dl.partner,
						dl.created.Format(time.DateOnly), dl.registered.Format(time.DateOnly), j.Format(time.DateOnly))
				}
				if dl.stage == "Closed Won" || dl.stage == "Closed Lost" {
					if dl.closed.Before(dl.created) || !dl.closed.Before(last) {
						t.Errorf("line %d: created %s, closed %s, P0 ends %s", dl.line,
							dl.created.Format(time.DateOnly), dl.closed.Format(time.DateOnly), last.Format(time.DateOnly))
					}
				}
			}
		})
	}
}
