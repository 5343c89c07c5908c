package sample

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

func mustFiles(t *testing.T, today time.Time) Data {
	t.Helper()
	d, err := Files(today)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFilesShape(t *testing.T) {
	prog := loadProgram(t)
	for _, today := range todays {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			d := mustFiles(t, today)
			partners := parseRoster(t, d.Roster)
			series := production(t, d)

			if len(partners) != 80 {
				t.Errorf("%d partners, want 80", len(partners))
			}
			ids, names := map[string]bool{}, map[string]bool{}
			managers, tracks, tiers := map[string]int{}, map[string]int{}, map[string]int{}
			for _, p := range partners {
				if ids[p.ID] || names[p.Name] {
					t.Errorf("%s (%s) is in the roster twice", p.ID, p.Name)
				}
				ids[p.ID], names[p.Name] = true, true
				if p.ID != model.Slug(p.Name) {
					t.Errorf("%s: id is not the slug of %q", p.ID, p.Name)
				}
				if _, ok := prog.Manager(p.Manager); !ok {
					t.Errorf("%s: manager %q is not in the config", p.ID, p.Manager)
				}
				if _, ok := prog.Track(p.Track); !ok {
					t.Errorf("%s: track %q is not in the config", p.ID, p.Track)
				}
				if prog.TierIndex(p.Tier) < 0 {
					t.Errorf("%s: tier %q is not in the config", p.ID, p.Tier)
				}
				if len(p.Domains) == 0 {
					t.Errorf("%s: no email domain", p.ID)
				}
				if p.Joined.After(today) || p.TierSince.After(today) || p.TierSince.Before(p.Joined) {
					t.Errorf("%s: joined %s, tier since %s, today %s", p.ID,
						p.Joined.Format(time.DateOnly), p.TierSince.Format(time.DateOnly), today.Format(time.DateOnly))
				}
				managers[p.Manager]++
				tracks[p.Track]++
				tiers[p.Tier]++
			}
			if len(managers) != 3 || len(tracks) != 3 || len(tiers) != 3 {
				t.Errorf("managers %v, tracks %v, tiers %v: want three of each", managers, tracks, tiers)
			}
			if want := map[string]int{"gold": 10, "silver": 25, "registered": 45}; !reflect.DeepEqual(tiers, want) {
				t.Errorf("tiers %v, want %v", tiers, want)
			}

			// Production: the four complete quarters before today, for
			// roster partners only, every metric of the config.
			periods := Periods(today)
			if periods[3] != model.LastComplete(today, model.Quarterly) || !periods[3].End().After(periods[0].Start()) {
				t.Fatalf("periods %v", periods)
			}
			if !periods[3].End().Before(today) && !periods[3].End().Equal(today) {
				t.Errorf("P0 %s has not ended by %s", periods[3], today)
			}
			seen := map[model.Period]bool{}
			for id, s := range series {
				if !ids[id] {
					t.Errorf("production for %q, who is not in the roster", id)
				}
				for p := range s.Periods() {
					if !slices.Contains(periods, p) {
						t.Errorf("%s: production for %s, outside %v", id, p, periods)
					}
					seen[p] = true
				}
			}
			if len(seen) != 4 {
				t.Errorf("production covers %d periods, want 4", len(seen))
			}
			for _, m := range prog.Metrics {
				if !slices.Contains(metricColumns, m.Key) {
					t.Errorf("metric %q is neither in the deals nor in the production rows", m.Key)
				}
			}
		})
	}
}

func TestFilesStories(t *testing.T) {
	prog := loadProgram(t)
	for _, today := range todays {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			d := mustFiles(t, today)
			partners := parseRoster(t, d.Roster)
			series := production(t, d)
			p0 := model.LastComplete(today, model.Quarterly)
			props := propose(prog, partners, series, p0)
			byID := map[string]model.Partner{}
			for _, p := range partners {
				byID[p.ID] = p
			}
			t.Logf("P0 %s: %v", p0, countKinds(props))

			// Northwind Global: large, gold, sourced nothing for two quarters.
			nw, ok := byID["northwind-global"]
			if !ok || nw.Name != "Northwind Global" || nw.Tier != "gold" || !slices.Contains(nw.Aliases, "Northwind") {
				t.Fatalf("Northwind Global: %+v", nw)
			}
			s := series[nw.ID]
			for _, p := range p0.Window(2) {
				if v := s.Map()[p]; v["sourced_pipeline"] != 0 || v["sourced_revenue"] != 0 {
					t.Errorf("Northwind sourced something in %s: %v", p, v)
				}
			}
			if e, _ := s.Get(p0, "employees"); e < 10000 {
				t.Errorf("Northwind has %v employees, want a large partner", e)
			}
			if ev := model.Evaluate(prog, &nw, s, p0.Step(-2)); ev.Earned != "gold" {
				t.Errorf("Northwind earned %s for %s, want gold: strong until two quarters ago", ev.Earned, p0.Step(-2))
			}
			if pr := model.Propose(prog, &nw, s, p0.Prev(), p0.Step(-3)); pr.Kind != model.Grace {
				t.Errorf("Northwind for %s: %s, want a grace hold (its first miss)", p0.Prev(), pr.Kind)
			}
			pr := props[nw.ID]
			if pr.Kind != model.Demote || pr.From != "gold" || pr.To != "silver" {
				t.Errorf("Northwind: %s %s→%s, want demote gold→silver (%s)", pr.Kind, pr.From, pr.To, pr.Explanation)
			}
			cc := pr.Evaluation.CurrentCheck()
			if cc.Tier != "gold" || len(cc.Evidence) == 0 || len(cc.Missed()) != len(cc.Evidence) {
				t.Errorf("Northwind misses %d of %d gold criteria, want every one: %+v", len(cc.Missed()), len(cc.Evidence), cc.Evidence)
			}
			if want := len(prog.CriteriaFor("reseller", "gold").Metrics()); len(cc.Evidence) != want {
				t.Errorf("Northwind's gold check has %d criteria, want %d", len(cc.Evidence), want)
			}

			// Brightpath Analytics: small, entry tier, earns gold.
			bp, ok := byID["brightpath-analytics"]
			if !ok || bp.Name != "Brightpath Analytics" || bp.Tier != prog.EntryTier().Key {
				t.Fatalf("Brightpath Analytics: %+v", bp)
			}
			if e, _ := series[bp.ID].Get(p0, "employees"); e > 100 {
				t.Errorf("Brightpath has %v employees, want a small partner", e)
			}
			pr = props[bp.ID]
			if pr.Kind != model.Promote || pr.To != prog.TopTier().Key {
				t.Errorf("Brightpath: %s to %s, want promote to gold (%s)", pr.Kind, pr.To, pr.Explanation)
			}
			if gc, _ := pr.Evaluation.Check("gold"); !gc.Met || slices.ContainsFunc(gc.Evidence, func(e model.Evidence) bool { return !e.Met }) {
				t.Errorf("Brightpath does not meet every gold criterion: %+v", gc.Evidence)
			}

			// Vocalis Partners: the loudest partner of the entry tier.
			vl, ok := byID["vocalis-partners"]
			if !ok || vl.Name != "Vocalis Partners" || vl.Tier != prog.EntryTier().Key {
				t.Fatalf("Vocalis Partners: %+v", vl)
			}
			if pr := props[vl.ID]; pr.Kind != model.Hold {
				t.Errorf("Vocalis Partners: %s, want hold at registered", pr.Kind)
			}

			kinds := countKinds(props)
			for _, k := range []model.MoveKind{model.Grace, model.New, model.Hold} {
				if kinds[k] == 0 {
					t.Errorf("no %s proposal for %s: %v", k, p0, kinds)
				}
			}
			if kinds[model.Promote] < 3 {
				t.Errorf("%d promotions, want Brightpath and a handful of others", kinds[model.Promote])
			}
			if kinds[model.Hold] < 60 {
				t.Errorf("%d holds: most partners' production should hold their tier", kinds[model.Hold])
			}
			for id, pr := range props {
				if pr.Kind == model.New && !byID[id].Joined.After(p0.Start()) {
					t.Errorf("%s is new but joined %s", id, byID[id].Joined)
				}
			}
		})
	}
}

// The sample's stories are what the rules say for the period a review
// starts on by default, and nothing the rules do not say.
func TestFilesExplanations(t *testing.T) {
	prog := loadProgram(t)
	today := todays[0]
	d := mustFiles(t, today)
	partners := parseRoster(t, d.Roster)
	props := propose(prog, partners, production(t, d), model.LastComplete(today, model.Quarterly))
	for id, want := range map[string]string{
		"northwind-global":     "Missed Gold two reviews running (sourced pipeline $0 of $400,000; sourced revenue $0 of $150,000; certified reps 3 of 5; registered deals 0 of 10; joint customers 6 of 8); earns Registered: demote one step to Silver.",
		"brightpath-analytics": "Earned Gold: sourced pipeline $397,000 of $300,000; sourced revenue $168,500 of $150,000; certified reps 6 of 5; registered deals 13 of 10; joint customers 7 of 6.",
	} {
		if got := props[id].Explanation; got != want {
			t.Errorf("%s:\n got %s\nwant %s", id, got, want)
		}
	}
}

func TestFilesLookup(t *testing.T) {
	d := mustFiles(t, todays[0])
	var entries []model.NameEntry
	for _, p := range parseRoster(t, d.Roster) {
		entries = append(entries, model.NameEntry{ID: p.ID, Name: p.Name, Aliases: p.Aliases, Domains: p.Domains})
	}
	for _, tc := range []struct{ query, want string }{
		{"north", "northwind-global"},
		{"Northwind", "northwind-global"},
		{"northwind.example", "northwind-global"},
		{"brightpath", "brightpath-analytics"},
		{"vocalis", "vocalis-partners"},
	} {
		got := model.Lookup(entries, tc.query)
		if len(got.Matches) != 1 || got.Matches[0].ID != tc.want {
			t.Errorf("Lookup(%q) = %+v, want only %s", tc.query, got.Matches, tc.want)
		}
	}
}

func TestFilesHistory(t *testing.T) {
	prog := loadProgram(t)
	for _, today := range todays {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			d := mustFiles(t, today)
			partners := parseRoster(t, d.Roster)
			byID := map[string]model.Partner{}
			for _, p := range partners {
				byID[p.ID] = p
			}
			yearAgo := today.AddDate(-1, 0, 0)
			last := map[string]model.History{}
			var recentUp, demotions int
			for i, h := range d.History {
				p, ok := byID[h.Partner]
				if !ok {
					t.Fatalf("history %d: unknown partner %q", i, h.Partner)
				}
				dir := h.Direction(prog)
				switch {
				case dir < 0:
					demotions++
					if h.At.After(yearAgo) {
						t.Errorf("%s demoted %s→%s on %s, within a year of %s: the ratchet check would not fire",
							h.Partner, h.From, h.To, h.At.Format(time.DateOnly), today.Format(time.DateOnly))
					}
				case dir > 0 && h.At.After(yearAgo):
					recentUp++
				}
				if (dir < 0) != (h.Kind == model.Demote) || (dir > 0) != (h.Kind == model.Promote) {
					t.Errorf("%s: kind %s for %s→%s", h.Partner, h.Kind, h.From, h.To)
				}
				if h.At.After(today) || h.At.Before(h.Period.End()) || h.At.Before(p.Joined) {
					t.Errorf("%s: move for %s at %s (joined %s, today %s)", h.Partner, h.Period, h.At, p.Joined, today)
				}
				if strings.TrimSpace(h.Reason) == "" || h.By == "" {
					t.Errorf("%s: a move without a reason or a decider: %+v", h.Partner, h)
				}
				if i > 0 && h.At.Before(d.History[i-1].At) {
					t.Errorf("history is not oldest first at %d", i)
				}
				if prev, ok := last[h.Partner]; ok && prev.To != h.From {
					t.Errorf("%s: moved to %s, then from %s", h.Partner, prev.To, h.From)
				}
				last[h.Partner] = h
			}
			if demotions == 0 || recentUp == 0 {
				t.Errorf("%d demotions (want some, older than a year), %d promotions within the year (want some)", demotions, recentUp)
			}
			for _, p := range partners {
				h, ok := last[p.ID]
				if !ok {
					if p.Tier != prog.EntryTier().Key {
						t.Errorf("%s: at %s with no history of getting there", p.ID, p.Tier)
					}
					continue
				}
				if h.To != p.Tier || h.At.Format(time.DateOnly) != p.TierSince.Format(time.DateOnly) {
					t.Errorf("%s: roster says %s since %s, history %s since %s", p.ID,
						p.Tier, p.TierSince.Format(time.DateOnly), h.To, h.At.Format(time.DateOnly))
				}
			}
		})
	}
}

func TestFilesDeterministic(t *testing.T) {
	a, b := mustFiles(t, todays[0]), mustFiles(t, todays[0])
	if !reflect.DeepEqual(a, b) {
		t.Error("two calls gave different samples")
	}
	c := mustFiles(t, todays[0].AddDate(1, 0, 0))
	if bytes.Equal(a.Production, c.Production) || bytes.Equal(a.Deals, c.Deals) {
		t.Error("a year later the production or the deals have the same dates")
	}
}

func TestLoad(t *testing.T) {
	d := mustFiles(t, todays[0])
	var calls []string
	importer := func(kind string, want []byte) func(string, []byte) error {
		return func(name string, csv []byte) error {
			calls = append(calls, kind+" "+name)
			if !bytes.Equal(csv, want) {
				t.Errorf("%s got something else than its file", kind)
			}
			return nil
		}
	}
	im := Importers{
		Partners:   importer("partners", d.Roster),
		Deals:      importer("deals", d.Deals),
		Production: importer("production", d.Production),
		History: func(h []model.History) error {
			calls = append(calls, "history")
			if len(h) != len(d.History) {
				t.Error("history got something else than the history")
			}
			return nil
		},
	}
	boom := errors.New("boom")
	failing := func(string, []byte) error { return boom }
	generated := Generate(3, todays[0])
	for _, tc := range []struct {
		name   string
		im     func(Importers) Importers
		err    error // matched with errors.Is
		anyErr bool  // any error will do
		calls  []string
	}{
		{"every file in order", func(im Importers) Importers { return im }, nil, false,
			[]string{"partners " + RosterFile, "deals " + DealsFile, "production " + ProductionFile, "history"}},
		{"no history function", func(im Importers) Importers { im.History = nil; return im }, nil, false,
			[]string{"partners " + RosterFile, "deals " + DealsFile, "production " + ProductionFile}},
		{"a failed roster stops there", func(im Importers) Importers { im.Partners = failing; return im }, boom, false, nil},
		{"failed deals stop there", func(im Importers) Importers { im.Deals = failing; return im }, boom, false,
			[]string{"partners " + RosterFile}},
		{"deals and no deals importer: nothing loaded", func(im Importers) Importers { im.Deals = nil; return im }, nil, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = nil
			err := Load(d, tc.im(im))
			if tc.anyErr && err == nil || !tc.anyErr && !errors.Is(err, tc.err) {
				t.Errorf("err %v, want %v", err, tc.err)
			}
			if !slices.Equal(calls, tc.calls) {
				t.Errorf("calls %v, want %v", calls, tc.calls)
			}
		})
	}
	// A generated program has no deals: its production carries everything.
	calls = nil
	gen := Importers{Partners: importer("partners", generated.Roster), Production: importer("production", generated.Production)}
	if err := Load(generated, gen); err != nil {
		t.Fatal(err)
	}
	if want := []string{"partners " + RosterFile, "production " + ProductionFile}; !slices.Equal(calls, want) {
		t.Errorf("generated: calls %v, want %v", calls, want)
	}
}

func TestResolver(t *testing.T) {
	r := resolver{p0: model.MustPeriod("2026-Q3")}
	for _, tc := range []struct {
		in, want string
		err      bool
	}{
		{"P0", "2026-Q3", false},
		{"P-3", "2025-Q4", false},
		{"P-12", "2023-Q3", false},
		{"P1", "2026-Q4", false},
		{"2026-Q3", "", true},
		{"P", "", true},
		{"Px", "", true},
	} {
		got, err := r.periodCell(tc.in)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("period %q = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"P0+0", date(2026, 7, 1), false},
		{"P0+23", date(2026, 7, 24), false},
		{"P-3+90", date(2025, 12, 30), false},
		{"P-1+12T15:30", date(2026, 4, 13).Add(15*time.Hour + 30*time.Minute), false},
		{"P-1", time.Time{}, true},
		{"P-1+x", time.Time{}, true},
		{"P-1+3T25:00", time.Time{}, true},
		{"2026-07-01", time.Time{}, true},
	} {
		got, err := r.time(tc.in)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("time %q = %s, %v; want %s (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
	if _, err := r.rewrite([]byte("a,b\n1,P0\n"), "x.csv", map[string]func(string) (string, error){"c": r.periodCell}); err == nil {
		t.Error("a missing column was not reported")
	}
	if _, err := r.rewrite([]byte("a,b\n1,Q0\n"), "x.csv", map[string]func(string) (string, error){"b": r.periodCell}); err == nil || !strings.Contains(err.Error(), "x.csv:2: b:") {
		t.Errorf("a bad placeholder: %v", err)
	}
}
