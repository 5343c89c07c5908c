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
