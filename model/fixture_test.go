package model

import "time"

// testProgram mirrors config.example.toml: three tiers, an any-group, and
// track overrides, so the rules are tested on the shape users will run.
func testProgram() *Program {
	return &Program{
		Name: "Test", Cadence: Quarterly, Window: 2, GraceReviews: 1,
		Metrics: []Metric{
			{Key: "pipeline", Label: "Sourced pipeline", Unit: Money, Aggregate: Sum},
			{Key: "revenue", Label: "Sourced revenue", Unit: Money, Aggregate: Sum},
			{Key: "reps", Label: "Certified reps", Singular: "certified rep", Unit: Count, Aggregate: Latest},
			{Key: "customers", Label: "Joint customers", Singular: "joint customer", Unit: Count, Aggregate: Latest},
			{Key: "deals", Label: "Registered deals", Singular: "registered deal", Unit: Count, Aggregate: Sum},
			{Key: "employees", Label: "Employees", Unit: Count, Aggregate: Latest, Size: true},
		},
		Tiers: []Tier{
			{Key: "registered", Name: "Registered", Rank: 1, Allocation: Allocation{HoursPerWeek: 0.25}},
			{Key: "silver", Name: "Silver", Rank: 2, Allocation: Allocation{HoursPerWeek: 1, MDFPerPeriod: 5000},
				Criteria: Criteria{
					All: []Criterion{{"pipeline", 100000}, {"reps", 2}},
					Any: []Criterion{{"deals", 4}, {"customers", 3}},
				}},
			{Key: "gold", Name: "Gold", Rank: 3, Allocation: Allocation{HoursPerWeek: 3, MDFPerPeriod: 25000},
				Criteria: Criteria{
					All: []Criterion{{"pipeline", 400000}, {"revenue", 150000}, {"reps", 5}},
					Any: []Criterion{{"deals", 10}, {"customers", 8}},
				}},
		},
		Tracks: []Track{
			{Key: "reseller", Name: "Reseller"},
			{Key: "isv", Name: "ISV", Thresholds: map[string]map[string]float64{
				"silver": {"pipeline": 75000},
				"gold":   {"pipeline": 300000, "customers": 6},
			}},
		},
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// byPeriod is production by period, for SeriesOf.
type byPeriod = map[Period]map[string]float64

// vals builds one period's values from alternating keys and numbers.
func vals(kv ...any) map[string]float64 {
	m := map[string]float64{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = float64(kv[i+1].(int))
	}
	return m
}

// gold, silver and none are per-period production that earns that tier
// over a two-period window on the reseller track.
var (
	goldQ   = vals("pipeline", 250000, "revenue", 100000, "reps", 6, "deals", 6)
	silverQ = vals("pipeline", 60000, "revenue", 10000, "reps", 3, "customers", 4)
	noneQ   = vals("reps", 1)
)
