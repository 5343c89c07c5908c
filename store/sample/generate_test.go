package sample

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

func TestGenerate(t *testing.T) {
	prog := loadProgram(t)
	today := todays[0]
	for _, n := range []int{0, 1, 10, 80, 10000} {
		t.Run("n="+strconv.Itoa(n), func(t *testing.T) {
			d := Generate(n, today)
			again := Generate(n, today)
			if !bytes.Equal(d.Roster, again.Roster) || !bytes.Equal(d.Production, again.Production) || !reflect.DeepEqual(d.History, again.History) {
				t.Fatalf("n=%d: two runs differ", n)
			}

			partners := parseRoster(t, d.Roster)
			series := production(t, d)
			if len(partners) != n {
				t.Fatalf("%d partners, want %d", len(partners), n)
			}
			ids, names, domains := map[string]bool{}, map[string]bool{}, map[string]bool{}
			managers, tracks, tiers := map[string]int{}, map[string]int{}, map[string]int{}
			byID := make(map[string]model.Partner, n)
			for _, p := range partners {
				if ids[p.ID] || names[p.Name] {
					t.Fatalf("%s (%s) twice", p.ID, p.Name)
				}
				if p.ID != model.Slug(p.Name) {
					t.Fatalf("id %q is not the slug of %q", p.ID, p.Name)
				}
				ids[p.ID], names[p.Name] = true, true
				for _, dom := range p.Domains {
					if domains[dom] {
						t.Fatalf("domain %s twice", dom)
					}
					domains[dom] = true
				}
				if _, ok := prog.Manager(p.Manager); !ok {
					t.Fatalf("%s: manager %q", p.ID, p.Manager)
				}
				if _, ok := prog.Track(p.Track); !ok {
					t.Fatalf("%s: track %q", p.ID, p.Track)
				}
				if prog.TierIndex(p.Tier) < 0 {
					t.Fatalf("%s: tier %q", p.ID, p.Tier)
				}
				if p.Joined.After(today) || p.TierSince.Before(p.Joined) || p.TierSince.After(today) {
					t.Fatalf("%s: joined %s, tier since %s", p.ID, p.Joined, p.TierSince)
				}
				managers[p.Manager]++
				tracks[p.Track]++
				tiers[p.Tier]++
				byID[p.ID] = p
			}
			periods := Periods(today)
			for id, s := range series {
				if _, ok := byID[id]; !ok {
					t.Fatalf("production for unknown %q", id)
				}
				for p := range s.Periods() {
					if !slices.Contains(periods, p) {
						t.Fatalf("%s: production for %s", id, p)
					}
				}
			}
			yearAgo := today.AddDate(-1, 0, 0)
			for _, h := range d.History {
				if _, ok := byID[h.Partner]; !ok {
					t.Fatalf("history for unknown %q", h.Partner)
				}
				if h.Direction(prog) < 0 && h.At.After(yearAgo) {
					t.Fatalf("%s: a demotion within the year", h.Partner)
				}
				if h.At.After(today) || h.Reason == "" {
					t.Fatalf("%s: %+v", h.Partner, h)
				}
			}
			if n < 1000 {
				return
			}
			if len(managers) != 3 || len(tracks) != 3 || len(tiers) != 3 {
				t.Errorf("managers %v, tracks %v, tiers %v", managers, tracks, tiers)
			}
			if g, r := float64(tiers["gold"])/float64(n), float64(tiers["registered"])/float64(n); g < 0.08 || g > 0.16 || r < 0.45 || r > 0.7 {
				t.Errorf("tiers %v: want about 12%% gold and 57%% registered", tiers)
			}
			if len(d.History) == 0 {
				t.Error("no history")
			}
			kinds := countKinds(propose(prog, partners, series, periods[3]))
			for _, k := range model.Kinds {
				if kinds[k] == 0 {
					t.Errorf("no %s proposal among %d partners: %v", k, n, kinds)
				}
			}
			if kinds[model.Hold] < n*3/4 {
				t.Errorf("%v: most partners should hold", kinds)
			}
		})
	}
}

// A hundred thousand partners: the bytes are the same every time, the ids
// unique, four quarters each at most. The shape is TestGenerate's.
func TestGenerateLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("100k partners")
	}
	const n = 100000
	d := Generate(n, todays[0])
	if again := Generate(n, todays[0]); !bytes.Equal(d.Roster, again.Roster) || !bytes.Equal(d.Production, again.Production) || len(d.History) != len(again.History) {
		t.Fatal("two runs differ")
	}
	lines := bytes.Split(bytes.TrimSuffix(d.Roster, []byte("\n")), []byte("\n"))[1:]
	if len(lines) != n {
		t.Fatalf("%d roster rows, want %d", len(lines), n)
	}
	ids := make(map[string]int, n)
	for _, l := range lines {
		id, _, _ := bytes.Cut(l, []byte(","))
		ids[string(id)] = 0
	}
	if len(ids) != n {
		t.Fatalf("%d distinct ids among %d partners", len(ids), n)
	}
	rows := bytes.Split(bytes.TrimSuffix(d.Production, []byte("\n")), []byte("\n"))[1:]
	for _, r := range rows {
		id, _, _ := bytes.Cut(r, []byte(","))
		c, ok := ids[string(id)]
		if !ok || c == 4 {
			t.Fatalf("production row %q: unknown partner or a fifth quarter", r)
		}
		ids[string(id)] = c + 1
	}
	if len(rows) < 3*n || len(rows) > 4*n {
		t.Errorf("%d production rows for %d partners", len(rows), n)
	}
}

func TestGenerateDates(t *testing.T) {
	for _, today := range todays {
		p0 := model.LastComplete(today, model.Quarterly)
		d := Generate(200, today)
		if !bytes.Contains(d.Production, []byte(","+p0.String()+",")) || !bytes.Contains(d.Production, []byte(","+p0.Step(-3).String()+",")) {
			t.Errorf("%s: production misses %s or %s", today.Format(time.DateOnly), p0, p0.Step(-3))
		}
		for _, p := range parseRoster(t, d.Roster) {
			if p.Joined.After(today) || p.TierSince.After(today) {
				t.Errorf("%s: %s joined %s, tier since %s", today.Format(time.DateOnly), p.ID, p.Joined, p.TierSince)
			}
		}
	}
	if a, b := Generate(50, todays[0]), Generate(51, todays[0]); bytes.Equal(a.Roster, b.Roster[:len(a.Roster)]) {
		t.Error("the seed does not depend on n")
	}
}

func TestGenerateNames(t *testing.T) {
	combos := len(namePrefixes) * len(nameSuffixes) * len(nameKinds)
	seen := make(map[string]bool, combos+10)
	for i := range combos + 10 {
		_, name, id := genName(i)
		if seen[id] {
			t.Fatalf("name %d: %s twice", i, id)
		}
		seen[id] = true
		if i == combos && name[len(name)-2:] != " 2" {
			t.Errorf("name %d = %q, want a number once the words run out", i, name)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	today := todays[0]
	for _, n := range []int{10000, 100000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Generate(n, today)
			}
		})
	}
}

func BenchmarkFiles(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Files(todays[0]); err != nil {
			b.Fatal(err)
		}
	}
}
