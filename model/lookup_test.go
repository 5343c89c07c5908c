package model

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	entries := []NameEntry{
		{ID: "northwind-global", Name: "Northwind Global", Aliases: []string{"Northwind", "NWG"}, Domains: []string{"northwind.example"}},
		{ID: "northstar-labs", Name: "Northstar Labs"},
		{ID: "brightpath-analytics", Name: "Brightpath Analytics", Aliases: []string{"Brightpath"}},
		{ID: "acme", Name: "Acme"},
		{ID: "acme-west", Name: "Acme West"},
	}
	tests := []struct {
		query   string
		matches string // ids, comma-separated
		suggest string // first suggestion's id
	}{
		{query: "northwind-global", matches: "northwind-global"},
		{query: "NORTHWIND GLOBAL", matches: "northwind-global"},
		{query: "nwg", matches: "northwind-global"},
		{query: "northwind.example", matches: "northwind-global"},
		{query: "northw", matches: "northwind-global"},
		{query: "north", matches: "northwind-global,northstar-labs"},
		{query: "bright", matches: "brightpath-analytics"},
		{query: "acme", matches: "acme"}, // an exact name beats the part of another
		{query: "nrthwind", suggest: "northwind-global"},
		{query: "brigthpath", suggest: "brightpath-analytics"},
		{query: "zzzz"},
		{query: "  "},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := Lookup(entries, tt.query)
			var ids []string
			for _, m := range r.Matches {
				ids = append(ids, m.ID)
			}
			if got := strings.Join(ids, ","); got != tt.matches {
				t.Errorf("matches = %q, want %q", got, tt.matches)
			}
			first := ""
			if len(r.Suggestions) > 0 {
				first = r.Suggestions[0].ID
			}
			if first != tt.suggest {
				t.Errorf("first suggestion = %q, want %q", first, tt.suggest)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Northwind Global":   "northwind-global",
		"  Acme, Inc. ":      "acme-inc",
		"Café Münster GmbH":  "caf-m-nster-gmbh",
		"R&D--Partners (EU)": "r-d-partners-eu",
		"":                   "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

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
