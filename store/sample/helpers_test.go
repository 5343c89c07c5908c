package sample

import (
	"bytes"
	"encoding/csv"
	"math"
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

// metricColumns are the program's metrics, as drawn_production.csv writes
// them; rowsColumns the ones production.csv carries, the rest coming from
// the deals.
var (
	metricColumns = []string{"sourced_pipeline", "sourced_revenue", "certified_reps", "joint_customers", "registered_deals", "employees"}
	rowsColumns   = []string{"certified_reps", "joint_customers", "employees"}
)

type productionMap = map[string]map[model.Period]map[string]float64

// parseRows reads a production CSV of the given metric columns.
func parseRows(t testing.TB, name string, data []byte, cols []string) productionMap {
	t.Helper()
	recs := readCSV(t, name, data, append([]string{"partner", "period"}, cols...))
	out := productionMap{}
	for i, r := range recs {
		where := name + " line " + strconv.Itoa(i+2)
		p, err := model.ParsePeriod(r[1])
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		s := out[r[0]]
		if s == nil {
			s = map[model.Period]map[string]float64{}
			out[r[0]] = s
		}
		if _, dup := s[p]; dup {
			t.Fatalf("%s: %s has two rows for %s", where, r[0], p)
		}
		vals := make(map[string]float64, len(cols))
		for j, col := range cols {
			vals[col] = parseMoney(t, where+": "+col, r[j+2])
		}
		s[p] = vals
	}
	return out
}

// production is a sample's production as the store gets it: the deals
// aggregated (aggregateDeals), plus the rows; a sample without deals
// (Generate) has every metric in its rows.
func production(t testing.TB, d Data) map[string]model.Series {
	t.Helper()
	if d.Deals == nil {
		return seriesOf(parseRows(t, "production", d.Production, metricColumns))
	}
	all := aggregateDeals(t, d.Deals, parseRoster(t, d.Roster))
	for id, periods := range parseRows(t, "production", d.Production, rowsColumns) {
		if all[id] == nil {
			all[id] = map[model.Period]map[string]float64{}
		}
		for p, vals := range periods {
			if all[id][p] == nil {
				all[id][p] = map[string]float64{}
			}
			for k, v := range vals {
				all[id][p][k] = v
			}
		}
	}
	return seriesOf(all)
}

func seriesOf(m productionMap) map[string]model.Series {
	out := make(map[string]model.Series, len(m))
	for id, s := range m {
		out[id] = model.SeriesOf(s)
	}
	return out
}

// dealsHeader is the sample's opportunity report header.
var dealsHeader = []string{"Opportunity ID", "Opportunity Name", "Account Name", "Partner Account", "Amount", "Stage",
	"Created Date", "Close Date", "Partner Sourced", "Deal Registration Date", "Next Step"}

// sampleDeal is one row of the sample's deals export, read by the test on
// its own: the store's parser is what is being checked.
type sampleDeal struct {
	line                        int
	id, partner, stage          string
	cents                       int64
	blankAmount, sourced        bool
	created, closed, registered time.Time
}

func parseDeals(t testing.TB, data []byte) []sampleDeal {
	t.Helper()
	recs := readCSV(t, "deals", bytes.TrimPrefix(data, []byte("\ufeff")), dealsHeader)
	out := make([]sampleDeal, len(recs))
	for i, r := range recs {
		where := "deals row " + strconv.Itoa(i+1)
		d := sampleDeal{line: i + 2, id: r[0], partner: r[3], stage: r[5], sourced: r[8] == "Yes", blankAmount: r[4] == ""}
		if !d.blankAmount {
			if !strings.HasPrefix(r[4], "$") {
				t.Fatalf("%s: amount %q is not in dollars", where, r[4])
			}
			d.cents = int64(math.Round(parseMoney(t, where, r[4]) * 100))
		}
		for _, f := range []struct {
			cell string
			to   *time.Time
		}{{r[6], &d.created}, {r[7], &d.closed}, {r[9], &d.registered}} {
			if f.cell == "" {
				continue
			}
			v, err := time.Parse("1/2/2006", f.cell)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			*f.to = v
		}
		out[i] = d
	}
	return out
}

// aggregateDeals adds up the deals by the rules of the issue, on its own:
// per partner and quarter, sourced pipeline is the amount of sourced deals
// created in it, sourced revenue that of sourced deals closed won in it,
// registered deals the deals registered in it; a quarter any deal of the
// partner was created, registered or closed in has all three. Deals without
// a partner are skipped; the partner is named by name or alias.
func aggregateDeals(t testing.TB, data []byte, partners []model.Partner) productionMap {
	t.Helper()
	ids := map[string]string{}
	for _, p := range partners {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			ids[strings.ToLower(n)] = p.ID
		}
	}
	type sums struct{ pipe, rev, reg int64 }
	acc := map[string]map[model.Period]*sums{}
	at := func(id string, when time.Time) *sums {
		if acc[id] == nil {
			acc[id] = map[model.Period]*sums{}
		}
		q := model.PeriodOf(when, model.Quarterly)
		if acc[id][q] == nil {
			acc[id][q] = &sums{}
		}
		return acc[id][q]
	}
	for _, d := range parseDeals(t, data) {
		if d.partner == "" {
			continue
		}
		id, ok := ids[strings.ToLower(d.partner)]
		if !ok {
			t.Fatalf("deals line %d: partner %q is not in the roster", d.line, d.partner)
		}
		s := at(id, d.created)
		if d.sourced {
			s.pipe += d.cents
		}
		if !d.registered.IsZero() {
			at(id, d.registered).reg++
		}
		switch d.stage {
		case "Closed Won":
			if s := at(id, d.closed); d.sourced {
				s.rev += d.cents
			}
		case "Closed Lost":
			at(id, d.closed)
		}
	}
	out := productionMap{}
	for id, periods := range acc {
		out[id] = map[model.Period]map[string]float64{}
		for q, s := range periods {
			out[id][q] = map[string]float64{
				"sourced_pipeline": float64(s.pipe) / 100,
				"sourced_revenue":  float64(s.rev) / 100,
				"registered_deals": float64(s.reg),
			}
		}
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
