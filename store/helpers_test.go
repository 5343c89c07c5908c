package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// testProgram is the program of config.example.toml, built by hand so the
// store's tests do not depend on the config package.
func testProgram() *model.Program {
	return &model.Program{
		Name: "Acme Cloud Partner Program", Cadence: model.Quarterly, Window: 2, GraceReviews: 1,
		TopTierMaxShare: 0.2, MinAlignment: 70,
		Metrics: []model.Metric{
			{Key: "sourced_pipeline", Label: "Sourced pipeline", Unit: model.Money, Aggregate: model.Sum},
			{Key: "sourced_revenue", Label: "Sourced revenue", Unit: model.Money, Aggregate: model.Sum},
			{Key: "certified_reps", Label: "Certified reps", Singular: "certified rep", Unit: model.Count, Aggregate: model.Latest},
			{Key: "joint_customers", Label: "Joint customers", Singular: "joint customer", Unit: model.Count, Aggregate: model.Latest},
			{Key: "registered_deals", Label: "Registered deals", Singular: "registered deal", Unit: model.Count, Aggregate: model.Sum},
			{Key: "employees", Label: "Employees", Singular: "employee", Unit: model.Count, Aggregate: model.Latest, Size: true},
		},
		Tiers: []model.Tier{
			{Key: "registered", Name: "Registered", Rank: 1,
				Allocation: model.Allocation{HoursPerWeek: 0.25, DealRegPriority: 1, MarginPercent: 10}},
			{Key: "silver", Name: "Silver", Rank: 2,
				Criteria: model.Criteria{
					All: []model.Criterion{{Metric: "sourced_pipeline", Min: 100000}, {Metric: "certified_reps", Min: 2}},
					Any: []model.Criterion{{Metric: "registered_deals", Min: 4}, {Metric: "joint_customers", Min: 3}},
				},
				Allocation: model.Allocation{HoursPerWeek: 1, MDFPerPeriod: 5000, DealRegPriority: 2, MarginPercent: 15}},
			{Key: "gold", Name: "Gold", Rank: 3,
				Criteria: model.Criteria{
					All: []model.Criterion{{Metric: "sourced_pipeline", Min: 400000}, {Metric: "sourced_revenue", Min: 150000}, {Metric: "certified_reps", Min: 5}},
					Any: []model.Criterion{{Metric: "registered_deals", Min: 10}, {Metric: "joint_customers", Min: 8}},
				},
				Allocation: model.Allocation{HoursPerWeek: 3, MDFPerPeriod: 25000, DealRegPriority: 3, MarginPercent: 20}},
		},
		Tracks: []model.Track{
			{Key: "reseller", Name: "Reseller"},
			{Key: "isv", Name: "ISV", Thresholds: map[string]map[string]float64{
				"silver": {"sourced_pipeline": 75000}, "gold": {"sourced_pipeline": 300000, "joint_customers": 6}}},
			{Key: "referral", Name: "Referral", Thresholds: map[string]map[string]float64{
				"silver": {"certified_reps": 1}, "gold": {"certified_reps": 2, "sourced_revenue": 100000}}},
		},
		Managers: []model.Manager{
			{Name: "Dana Reyes", Email: "dana.reyes@acmecloud.example", CapacityHours: 30},
			{Name: "Sam Okafor", Email: "sam.okafor@acmecloud.example", CapacityHours: 30},
			{Name: "Priya Natarajan", Email: "priya.natarajan@acmecloud.example", CapacityHours: 25},
		},
	}
}

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 21, 10, 15, 0, 0, time.UTC)

func testOptions() Options {
	return Options{Timeout: 200 * time.Millisecond, Now: func() time.Time { return testNow }}
}

// newStore creates a store in a fresh temporary folder.
func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Create(filepath.Join(t.TempDir(), "data", "partnertiers.db"), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const roster = "id,name,track,manager,domains,aliases,tier,joined\n" +
	"northwind-global,Northwind Global,reseller,Dana Reyes,northwind.com,NWG;Northwind,gold,2021-03-01\n" +
	"brightpath-analytics,Brightpath Analytics,isv,Sam Okafor,brightpath.io,Brightpath,registered,2024-06-15\n" +
	"contoso,Contoso,referral,Priya Natarajan,contoso.com,,silver,2023-01-10\n"

// seeded is a store holding the roster above.
func seeded(t testing.TB) *Store {
	t.Helper()
	s := newStore(t)
	if _, err := s.ImportPartners("roster.csv", []byte(roster), testProgram(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

func mustPartners(t testing.TB, s *Store) []model.Partner {
	t.Helper()
	ps, err := s.Partners()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func rowErrors(bad []RowError) []string {
	out := make([]string, len(bad))
	for i, b := range bad {
		out[i] = b.Error()
	}
	return out
}

// hasValue reports whether s holds v for key in period p.
func hasValue(s model.Series, p model.Period, key string, v float64) bool {
	got, ok := s.Get(p, key)
	return ok && got == v
}
