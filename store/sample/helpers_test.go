package sample

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/partnertiers/partnertiers/model"
)

// The tests read the program from config.example.toml with a small decoder
// of their own, so the sample is checked against the config it ships with.

type exampleConfig struct {
	Program struct {
		Name         string
		Cadence      string
		Window       int
		GraceReviews int `toml:"grace_reviews"`
	}
	Metrics []struct {
		Key, Label, Singular, Unit, Aggregate string
		Size                                  bool
	}
	Tiers []struct {
		Key, Name string
		Rank      int
		Criteria  struct {
			All, Any []struct {
				Metric string
				Min    float64
			}
		}
	}
	Tracks []struct {
		Key, Name  string
		Thresholds map[string]map[string]float64
	}
	Managers []struct{ Name, Email string }
}

func loadProgram(t testing.TB) *model.Program {
	t.Helper()
	var c exampleConfig
	if _, err := toml.DecodeFile("../../config.example.toml", &c); err != nil {
		t.Fatal(err)
	}
	cad, err := model.ParseCadence(c.Program.Cadence)
	if err != nil {
		t.Fatal(err)
	}
	p := &model.Program{Name: c.Program.Name, Cadence: cad, Window: c.Program.Window, GraceReviews: c.Program.GraceReviews}
	for _, m := range c.Metrics {
		p.Metrics = append(p.Metrics, model.Metric{Key: m.Key, Label: m.Label, Singular: m.Singular,
			Unit: model.Unit(m.Unit), Aggregate: model.Aggregate(m.Aggregate), Size: m.Size})
	}
	for _, tc := range c.Tiers {
		tier := model.Tier{Key: tc.Key, Name: tc.Name, Rank: tc.Rank}
		for _, cr := range tc.Criteria.All {
			tier.Criteria.All = append(tier.Criteria.All, model.Criterion{Metric: cr.Metric, Min: cr.Min})
		}
		for _, cr := range tc.Criteria.Any {
			tier.Criteria.Any = append(tier.Criteria.Any, model.Criterion{Metric: cr.Metric, Min: cr.Min})
		}
		p.Tiers = append(p.Tiers, tier)
	}
	for _, tr := range c.Tracks {
		p.Tracks = append(p.Tracks, model.Track{Key: tr.Key, Name: tr.Name, Thresholds: tr.Thresholds})
	}
	for _, m := range c.Managers {
		p.Managers = append(p.Managers, model.Manager{Name: m.Name, Email: m.Email})
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	// The sample assumes this shape of the example config.
	if p.Cadence != model.Quarterly || p.Window != 2 || p.GraceReviews != 1 || len(p.Tiers) != 3 || len(p.Tracks) != 3 || len(p.Managers) != 3 {
		t.Fatalf("config.example.toml changed shape (cadence %s, window %d, grace %d, %d tiers, %d tracks, %d managers): regenerate the sample",
			p.Cadence, p.Window, p.GraceReviews, len(p.Tiers), len(p.Tracks), len(p.Managers))
	}
	return p
}

// readCSV reads a CSV and indexes its header.
func readCSV(t testing.TB, name string, data []byte, want []string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], want) {
		t.Fatalf("%s: header %v, want %v", name, recs[0], want)
	}
	return recs[1:]
}

func parseDate(t testing.TB, where, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return d
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// parseRoster reads a roster CSV the way the importer is specified to.
func parseRoster(t testing.TB, data []byte) []model.Partner {
	t.Helper()
	recs := readCSV(t, "roster", data, []string{"id", "name", "track", "manager", "domains", "aliases", "tier", "joined", "tier_since"})
	out := make([]model.Partner, len(recs))
	for i, r := range recs {
		where := "roster line " + strconv.Itoa(i+2)
		out[i] = model.Partner{
			ID: r[0], Name: r[1], Track: r[2], Manager: r[3],
			Domains: splitList(r[4]), Aliases: splitList(r[5]), Tier: r[6],
			Joined: parseDate(t, where, r[7]), TierSince: parseDate(t, where, r[8]),
		}
	}
	return out
}

// parseMoney reads 1234.5 or $1,234.50.
func parseMoney(t testing.TB, where, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(s, "$"), ",", ""), 64)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return v
}

var productionColumns = []string{"partner", "period", "sourced_pipeline", "sourced_revenue", "certified_reps", "joint_customers", "registered_deals", "employees"}

// parseProduction reads a production CSV into series by partner id.
func parseProduction(t testing.TB, data []byte) map[string]model.Series {
	t.Helper()
	recs := readCSV(t, "production", data, productionColumns)
	raw := map[string]map[model.Period]map[string]float64{}
	for i, r := range recs {
		where := "production line " + strconv.Itoa(i+2)
		p, err := model.ParsePeriod(r[1])
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		s := raw[r[0]]
		if s == nil {
			s = map[model.Period]map[string]float64{}
			raw[r[0]] = s
		}
		if _, dup := s[p]; dup {
			t.Fatalf("%s: %s has two rows for %s", where, r[0], p)
		}
		vals := make(map[string]float64, len(productionColumns)-2)
		for j, col := range productionColumns[2:] {
			vals[col] = parseMoney(t, where+": "+col, r[j+2])
		}
		s[p] = vals
	}
	out := make(map[string]model.Series, len(raw))
	for id, s := range raw {
		out[id] = model.SeriesOf(s)
	}
	return out
}

// propose runs the rules for every partner.
func propose(prog *model.Program, partners []model.Partner, series map[string]model.Series, period model.Period) map[string]model.Proposal {
	out := make(map[string]model.Proposal, len(partners))
	for i := range partners {
		// The sample's store holds four quarters, ending at the last complete one.
		out[partners[i].ID] = model.Propose(prog, &partners[i], series[partners[i].ID], period, period.Step(-3))
	}
	return out
}

func countKinds(props map[string]model.Proposal) map[model.MoveKind]int {
	n := map[model.MoveKind]int{}
	for _, pr := range props {
		n[pr.Kind]++
	}
	return n
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// todays are the days the sample must tell its stories on: spread over
// years, quarter edges and a leap day.
var todays = []time.Time{
	date(2026, 11, 21),
	date(2026, 12, 31).Add(23*time.Hour + 59*time.Minute),
	date(2027, 1, 1),
	date(2027, 4, 1),
	date(2027, 5, 15),
	date(2027, 9, 30),
	date(2028, 2, 29),
	date(2031, 7, 4),
}
