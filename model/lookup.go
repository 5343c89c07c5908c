package model

import (
	"slices"
	"strings"

	"github.com/sahilm/fuzzy"
)

// NameEntry is what a lookup can match a partner by.
type NameEntry struct {
	ID      string
	Name    string
	Aliases []string
	Domains []string
	Exited  bool // calendar matching leaves exited partners out
}

func (e NameEntry) keys() []string {
	return slices.Concat([]string{e.ID, e.Name}, e.Aliases, e.Domains)
}

// LookupResult is the outcome of matching a query against partners.
type LookupResult struct {
	// Matches are the partners the query names: one for a hit, several
	// when it is ambiguous, none when nothing matched.
	Matches []NameEntry
	// Suggestions are the closest names when nothing matched.
	Suggestions []NameEntry
}

// Lookup matches a query the way a person types one during a call: case
// ignored; an exact id, name, alias or domain wins; otherwise a part of one,
// if it names exactly one partner ("north" → Northwind Global). With no
// match at all, fuzzy suggestions are offered.
func Lookup(entries []NameEntry, query string) LookupResult {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return LookupResult{}
	}
	var exact, partial []NameEntry
	for _, e := range entries {
		isExact, isPartial := false, false
		for _, k := range e.keys() {
			k = strings.ToLower(k)
			if k == q {
				isExact = true
				break
			}
			if strings.Contains(k, q) {
				isPartial = true
			}
		}
		switch {
		case isExact:
			exact = append(exact, e)
		case isPartial:
			partial = append(partial, e)
		}
	}
	if len(exact) > 0 {
		return LookupResult{Matches: exact}
	}
	if len(partial) > 0 {
		return LookupResult{Matches: partial}
	}
	return LookupResult{Suggestions: suggest(entries, q, 3)}
}

// suggest ranks names by fuzzy score, then by how few edits they are away.
func suggest(entries []NameEntry, q string, n int) []NameEntry {
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = strings.ToLower(e.Name)
	}
	var out []NameEntry
	for _, m := range fuzzy.Find(q, names) {
		out = append(out, entries[m.Index])
		if len(out) == n {
			return out
		}
	}
	// Typos rarely fuzzy-match in order: fall back to edit distance.
	type scored struct {
		e NameEntry
		d int
	}
	var best []scored
	for i, e := range entries {
		if slices.ContainsFunc(out, func(o NameEntry) bool { return o.ID == e.ID }) {
			continue
		}
		d := editDistance(q, prefixLike(names[i], q))
		if d <= max(2, len(q)/3) {
			best = append(best, scored{e, d})
		}
	}
	slices.SortStableFunc(best, func(a, b scored) int { return a.d - b.d })
	for _, s := range best {
		if len(out) == n {
			break
		}
		out = append(out, s.e)
	}
	return out
}

// prefixLike compares a query with the start of a name of about its length,
// so "nrthwind" is near "northwind global".
func prefixLike(name, q string) string {
	r := []rune(name)
	if n := len([]rune(q)) + 1; len(r) > n {
		return string(r[:n])
	}
	return name
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
