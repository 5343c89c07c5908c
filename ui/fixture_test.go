package ui

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// fixtureNow is the tests' clock: 2026-Q2 is the last complete quarter.
var fixtureNow = time.Date(2026, 7, 15, 9, 0, 0, 0, time.UTC)

// fixtureStorePath is under the HOME the tests set, so the header shows ~.
const (
	fixtureHome      = "/home/pm"
	fixtureStorePath = "/home/pm/.local/share/partnertiers/partnertiers.db"
)

// fixtureProgram is config.example.toml in Go.
func fixtureProgram() *model.Program {
	return &model.Program{
		Name:            "Acme Cloud Partner Program",
		Cadence:         model.Quarterly,
		Window:          2,
		GraceReviews:    1,
		TopTierMaxShare: 0.2,
		MinAlignment:    70,
		Metrics: []model.Metric{
			{Key: "sourced_pipeline", Label: "Sourced pipeline", Unit: model.Money, Aggregate: model.Sum},
			{Key: "sourced_revenue", Label: "Sourced revenue", Unit: model.Money, Aggregate: model.Sum},
			{Key: "certified_reps", Label: "Certified reps", Singular: "certified rep", Unit: model.Count, Aggregate: model.Latest},
			{Key: "joint_customers", Label: "Joint customers", Singular: "joint customer", Unit: model.Count, Aggregate: model.Latest},
			{Key: "registered_deals", Label: "Registered deals", Singular: "registered deal", Unit: model.Count, Aggregate: model.Sum},
			{Key: "employees", Label: "Employees", Singular: "employee", Unit: model.Count, Aggregate: model.Latest, Size: true},
		},
		Tiers: []model.Tier{
			{
				Key: "registered", Name: "Registered", Rank: 1,
				Allocation: model.Allocation{HoursPerWeek: 0.25, DealRegPriority: 1, MarginPercent: 10,
					Benefits: []string{"Partner portal", "Deal registration", "Self-serve enablement"}},
			},
			{
				Key: "silver", Name: "Silver", Rank: 2,
				Criteria: model.Criteria{
					All: []model.Criterion{{Metric: "sourced_pipeline", Min: 100000}, {Metric: "certified_reps", Min: 2}},
					Any: []model.Criterion{{Metric: "registered_deals", Min: 4}, {Metric: "joint_customers", Min: 3}},
				},
				Allocation: model.Allocation{HoursPerWeek: 1, MDFPerPeriod: 5000, DealRegPriority: 2, MarginPercent: 15,
					Benefits: []string{"Named partner manager", "Quarterly business review", "Co-marketing campaigns"}},
			},
			{
				Key: "gold", Name: "Gold", Rank: 3,
				Criteria: model.Criteria{
					All: []model.Criterion{{Metric: "sourced_pipeline", Min: 400000}, {Metric: "sourced_revenue", Min: 150000}, {Metric: "certified_reps", Min: 5}},
					Any: []model.Criterion{{Metric: "registered_deals", Min: 10}, {Metric: "joint_customers", Min: 8}},
				},
				Allocation: model.Allocation{HoursPerWeek: 3, MDFPerPeriod: 25000, DealRegPriority: 3, MarginPercent: 20,
					Benefits: []string{"Weekly pipeline review", "Executive sponsor", "Joint account planning", "Listing in the partner directory"}},
			},
		},
		Tracks: []model.Track{
			{Key: "reseller", Name: "Reseller"},
			{Key: "isv", Name: "ISV", Thresholds: map[string]map[string]float64{
				"silver": {"sourced_pipeline": 75000},
				"gold":   {"sourced_pipeline": 300000, "joint_customers": 6},
			}},
			{Key: "referral", Name: "Referral", Thresholds: map[string]map[string]float64{
				"silver": {"certified_reps": 1},
				"gold":   {"certified_reps": 2, "sourced_revenue": 100000},
			}},
		},
		Managers: []model.Manager{
			{Name: "Dana Reyes", Email: "dana.reyes@acmecloud.example", CapacityHours: 30},
			{Name: "Sam Okafor", Email: "sam.okafor@acmecloud.example", CapacityHours: 30},
			{Name: "Priya Natarajan", Email: "priya.natarajan@acmecloud.example", CapacityHours: 25},
		},
	}
}

var fixturePeriods = []model.Period{
	model.MustPeriod("2025-Q3"), model.MustPeriod("2025-Q4"),
	model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2"),
}

// q is one quarter's production: pipeline, revenue, reps, deals, customers, employees.
type q [6]float64

var qKeys = [6]string{"sourced_pipeline", "sourced_revenue", "certified_reps", "registered_deals", "joint_customers", "employees"}

func (v q) values() map[string]float64 {
	m := make(map[string]float64, len(v))
	for i, k := range qKeys {
		m[k] = v[i]
	}
	return m
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtureSnapshot holds twelve active partners and one that left. Its
// stories: Northwind Global (gold) produced nothing in the last two
// quarters; Brightpath Analytics (registered) earns gold; Fjord Networks
// (silver) earns registered; Harbor Point IT (registered) earns silver.
func fixtureSnapshot() *store.Snapshot {
	type spec struct {
		p    model.Partner
		prod [4]q
	}
	specs := []spec{
		{model.Partner{ID: "apex-systems-integration", Name: "Apex Systems Integration", Track: "reseller", Manager: "Sam Okafor",
			Domains: []string{"apexsi.example"}, Tier: "silver", TierSince: date("2024-07-03"), Joined: date("2021-02-11")},
			[4]q{{60000, 20000, 3, 2, 2, 240}, {70000, 25000, 3, 3, 2, 250}, {80000, 20000, 3, 3, 2, 250}, {70000, 20000, 3, 3, 2, 260}}},
		{model.Partner{ID: "brightpath-analytics", Name: "Brightpath Analytics", Track: "reseller", Manager: "Priya Natarajan",
			Domains: []string{"brightpath.example"}, Aliases: []string{"Brightpath"}, Tier: "registered", TierSince: date("2025-01-20"), Joined: date("2025-01-20")},
			[4]q{{20000, 5000, 2, 1, 1, 35}, {60000, 30000, 4, 3, 2, 38}, {260000, 100000, 6, 6, 3, 40}, {240000, 90000, 6, 6, 4, 42}}},
		{model.Partner{ID: "cobalt-consulting", Name: "Cobalt Consulting", Track: "referral", Manager: "Sam Okafor",
			Domains: []string{"cobalt.example"}, Tier: "registered", TierSince: date("2023-09-01"), Joined: date("2023-09-01")},
			[4]q{{5000, 0, 0, 0, 0, 12}, {10000, 0, 0, 1, 0, 12}, {10000, 2000, 0, 0, 0, 14}, {5000, 0, 0, 1, 0, 14}}},
		{model.Partner{ID: "driftwood-data", Name: "Driftwood Data", Track: "isv", Manager: "Dana Reyes",
			Domains: []string{"driftwood.example"}, Tier: "silver", TierSince: date("2025-04-02"), Joined: date("2022-05-17")},
			[4]q{{30000, 10000, 2, 1, 2, 80}, {40000, 15000, 2, 2, 3, 80}, {50000, 20000, 2, 2, 3, 85}, {40000, 15000, 2, 2, 3, 90}}},
		{model.Partner{ID: "evergreen-cloud-partners", Name: "Evergreen Cloud Partners", Track: "reseller", Manager: "Dana Reyes",
			Domains: []string{"evergreen.example"}, Tier: "gold", TierSince: date("2022-04-04"), Joined: date("2018-06-01")},
			[4]q{{280000, 150000, 8, 7, 9, 600}, {320000, 160000, 8, 8, 10, 610}, {300000, 110000, 8, 7, 10, 620}, {250000, 90000, 8, 7, 10, 640}}},
		{model.Partner{ID: "fjord-networks", Name: "Fjord Networks", Track: "reseller", Manager: "Priya Natarajan",
			Domains: []string{"fjordnet.example"}, Tier: "silver", TierSince: date("2024-01-08"), Joined: date("2020-10-05")},
			[4]q{{90000, 30000, 2, 3, 2, 150}, {60000, 20000, 2, 2, 2, 150}, {20000, 5000, 1, 1, 1, 140}, {10000, 0, 2, 0, 3, 140}}},
		{model.Partner{ID: "granite-ridge-solutions", Name: "Granite Ridge Solutions", Track: "isv", Manager: "Sam Okafor",
			Domains: []string{"graniteridge.example"}, Tier: "gold", TierSince: date("2024-10-01"), Joined: date("2019-03-12")},
			[4]q{{150000, 70000, 5, 4, 6, 320}, {170000, 80000, 5, 4, 7, 330}, {180000, 80000, 5, 4, 7, 330}, {160000, 80000, 5, 4, 7, 340}}},
		{model.Partner{ID: "harbor-point-it", Name: "Harbor Point IT", Track: "referral", Manager: "Dana Reyes",
			Domains: []string{"harborpoint.example"}, Tier: "registered", TierSince: date("2024-02-14"), Joined: date("2024-02-14")},
			[4]q{{20000, 5000, 1, 1, 1, 25}, {40000, 10000, 1, 2, 1, 25}, {70000, 15000, 1, 3, 2, 28}, {60000, 20000, 1, 2, 2, 30}}},
		{model.Partner{ID: "ironclad-security", Name: "Ironclad Security", Track: "reseller", Manager: "Priya Natarajan",
			Domains: []string{"ironclad.example"}, Tier: "silver", TierSince: date("2023-07-01"), Joined: date("2021-08-30")},
			[4]q{{50000, 20000, 4, 2, 3, 210}, {60000, 20000, 4, 2, 3, 215}, {70000, 30000, 4, 2, 3, 220}, {50000, 25000, 4, 2, 3, 220}}},
		{model.Partner{ID: "juniper-labs", Name: "Juniper Labs", Track: "isv", Manager: "Priya Natarajan",
			Domains: []string{"juniperlabs.example"}, Tier: "registered", TierSince: date("2025-06-30"), Joined: date("2025-06-30")},
			[4]q{{0, 0, 0, 0, 0, 8}, {10000, 0, 1, 0, 0, 9}, {15000, 0, 1, 1, 1, 10}, {15000, 5000, 1, 1, 1, 11}}},
		{model.Partner{ID: "kestrel-partners", Name: "Kestrel Partners", Track: "referral", Manager: "Sam Okafor",
			Domains: []string{"kestrel.example"}, Tier: "gold", TierSince: date("2023-01-09"), Joined: date("2017-11-20")},
			[4]q{{220000, 50000, 3, 5, 4, 90}, {230000, 60000, 3, 6, 4, 95}, {250000, 60000, 3, 6, 4, 95}, {200000, 50000, 3, 5, 4, 95}}},
		{model.Partner{ID: "lakeside-retail", Name: "Lakeside Retail", Track: "reseller", Manager: "Dana Reyes",
			Domains: []string{"lakeside.example"}, Tier: "registered", TierSince: date("2022-01-01"), Joined: date("2022-01-01"), Exited: true},
			[4]q{}},
		{model.Partner{ID: "northwind-global", Name: "Northwind Global", Track: "reseller", Manager: "Dana Reyes",
			Domains: []string{"northwind.example", "nwglobal.example"}, Aliases: []string{"Northwind"},
			Tier: "gold", TierSince: date("2023-04-05"), Joined: date("2019-03-01")},
			[4]q{{500000, 200000, 9, 7, 10, 12000}, {450000, 180000, 9, 6, 10, 12000}, {0, 0, 0, 0, 0, 12500}, {0, 0, 0, 0, 0, 12500}}},
	}
	snap := &store.Snapshot{
		Production: map[string]model.Series{},
		History:    map[string][]model.History{},
		Periods:    fixturePeriods,
	}
	for _, s := range specs {
		snap.Partners = append(snap.Partners, s.p)
		series := map[model.Period]map[string]float64{}
		for i, v := range s.prod {
			series[fixturePeriods[i]] = v.values()
		}
		snap.Production[s.p.ID] = model.SeriesOf(series)
	}
	snap.History["northwind-global"] = []model.History{
		{Partner: "northwind-global", To: "registered", Period: model.MustPeriod("2019-Q1"), Kind: model.New,
			Reason: "Joined the program.", By: "import", At: date("2019-03-01")},
		{Partner: "northwind-global", From: "registered", To: "silver", Period: model.MustPeriod("2020-Q4"), Kind: model.Promote,
			Reason: "Earned Silver: sourced pipeline $180,000 of $100,000; certified reps 3 of 2; registered deals 6 of 4.",
			By:     "Dana Reyes", At: date("2021-01-12")},
		{Partner: "northwind-global", From: "silver", To: "gold", Period: model.MustPeriod("2023-Q1"), Kind: model.Promote,
			Reason: "Earned Gold: sourced pipeline $820,000 of $400,000; sourced revenue $310,000 of $150,000; certified reps 9 of 5; registered deals 14 of 10.",
			By:     "Dana Reyes", At: date("2023-04-05")},
	}
	snap.History["fjord-networks"] = []model.History{
		{Partner: "fjord-networks", From: "registered", To: "silver", Period: model.MustPeriod("2023-Q4"), Kind: model.Promote,
			Reason: "Strategic logo in the Nordics; promoted ahead of production.", Override: true, By: "Priya Natarajan", At: date("2024-01-08")},
	}
	return snap
}

// generatedSnapshot is n partners with random production, for benchmarks.
func generatedSnapshot(n int) *store.Snapshot {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	words := []string{"Acme", "Blue", "Cedar", "Delta", "Echo", "Fern", "Globe", "Helix", "Iris", "Jade", "Kilo", "Lumen", "Maple", "Nova", "Orbit", "Pine"}
	kinds := []string{"Systems", "Labs", "Cloud", "Data", "Networks", "Partners", "Consulting", "Solutions"}
	tiers := []string{"registered", "registered", "registered", "silver", "silver", "gold"}
	tracks := []string{"reseller", "isv", "referral"}
	managers := []string{"Dana Reyes", "Sam Okafor", "Priya Natarajan"}
	snap := &store.Snapshot{
		Production: make(map[string]model.Series, n),
		History:    map[string][]model.History{},
		Periods:    fixturePeriods,
	}
	var b model.SeriesBuilder // as the store decodes: shared shapes and allocations
	for i := range n {
		name := fmt.Sprintf("%s %s %s %06d", words[rng.IntN(len(words))], words[rng.IntN(len(words))], kinds[rng.IntN(len(kinds))], i)
		id := model.Slug(name)
		p := model.Partner{
			ID: id, Name: name, Track: tracks[rng.IntN(3)], Manager: managers[rng.IntN(3)],
			Domains: []string{id + ".example"}, Tier: tiers[rng.IntN(len(tiers))],
			TierSince: fixtureNow.AddDate(0, -rng.IntN(60), 0), Joined: fixtureNow.AddDate(-6, 0, 0),
		}
		snap.Partners = append(snap.Partners, p)
		scale := float64(rng.IntN(500000))
		for _, per := range fixturePeriods {
			b.Period(per)
			v := q{scale * rng.Float64(), scale / 3 * rng.Float64(), float64(rng.IntN(10)), float64(rng.IntN(12)), float64(rng.IntN(10)), float64(rng.IntN(5000))}
			for i, k := range qKeys {
				b.Value(k, v[i])
			}
		}
		snap.Production[id] = b.Series()
	}
	sort.Slice(snap.Partners, func(i, j int) bool { return snap.Partners[i].Name < snap.Partners[j].Name })
	return snap
}
