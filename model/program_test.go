package model

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Program)
		want   string
	}{
		{"the test program is valid", func(p *Program) {}, ""},
		{"one tier", func(p *Program) { p.Tiers = p.Tiers[:1] }, "at least two tiers"},
		{"duplicate tier key", func(p *Program) { p.Tiers[2].Key = "silver" }, `tier key "silver" is used twice`},
		{"undefined metric", func(p *Program) { p.Tiers[1].Criteria.All[0].Metric = "pipelin" }, `metric "pipelin", which is not defined`},
		{"entry tier with criteria", func(p *Program) { p.Tiers[0].Criteria.All = []Criterion{{"reps", 1}} }, "entry tier has no criteria"},
		{"falling threshold", func(p *Program) { p.Tiers[2].Criteria.All[2].Min = 1 }, `tier "gold": threshold for metric "reps" (1) falls below tier "silver"'s (2)`},
		{"falling through a track override", func(p *Program) { p.Tracks[1].Thresholds["gold"]["pipeline"] = 50000 }, `in track "isv"`},
		{"falling from an all criterion to an any criterion", func(p *Program) {
			p.Tiers[1].Criteria.Any = nil
			p.Tiers[1].Criteria.All = []Criterion{{"pipeline", 100000}, {"reps", 2}, {"customers", 9}}
			p.Tiers[2].Criteria.Any = []Criterion{{"deals", 10}, {"customers", 8}}
		}, `tier "gold": threshold for metric "customers" (8) falls below tier "silver"'s (9)`},
		{"override of a criterion the tier lacks", func(p *Program) { p.Tracks[1].Thresholds["gold"]["employees"] = 1 }, `no criterion on metric "employees"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProgram()
			tt.mutate(p)
			err := p.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestRosterChangesAreNotReviews(t *testing.T) {
	p := testProgram()
	now := day("2026-11-21")
	partners := []Partner{{ID: "a", Tier: "gold"}, {ID: "b", Tier: "silver"}}
	in := HealthInput{Program: p, Partners: partners, Now: now, History: []History{
		{Partner: "a", From: "silver", To: "gold", Period: MustPeriod("2026-Q1"), Kind: Promote, At: day("2026-04-10")},
		// A roster import set b down this quarter: not a review, not a demotion.
		{Partner: "b", From: "gold", To: "silver", Period: MustPeriod("2026-Q4"), Kind: Set, At: day("2026-11-20")},
	}}
	got := map[string]Finding{}
	for _, f := range Health(in) {
		got[f.Check] = f
	}
	if f := got["ratchet"]; f.Severity != Error {
		t.Errorf("ratchet = %s %q: a roster change is no demotion", f.Severity, f.Detail)
	}
	if f := got["overdue"]; f.Severity != Error || !strings.Contains(f.Detail, "last review 2026-Q1") {
		t.Errorf("overdue = %s %q: a roster change is no review", f.Severity, f.Detail)
	}
}
