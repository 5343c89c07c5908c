package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/model"
)

// FuzzParse: Parse never panics, every error it returns is an *Error at a
// line of the file with no control characters in it, and every config it
// accepts is a valid program whose texts (shown in the app and on
// stdout) hold no control character, escape or bidi control. The seed
// corpus is in testdata/fuzz/FuzzParse: the example, minimal, broken and
// hostile variants; config.example.toml as it is today is added here, so
// the fuzzer always starts from the current example.
func FuzzParse(f *testing.F) {
	f.Add(readExample(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		scanLines(string(data)) // must not panic on anything, valid or not
		cfg, err := Parse("fuzz.toml", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			lines := strings.Count(string(data), "\n") + 1
			if e.File != "fuzz.toml" || e.Line < 1 || e.Line > lines {
				t.Fatalf("error at %s:%d in a file of %d lines: %v", e.File, e.Line, lines, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.toml:"+strconv.Itoa(e.Line)+": ") {
				t.Fatalf("error does not start with the file and line: %v", err)
			}
			if strings.ContainsFunc(err.Error(), unsafeRune) {
				t.Fatalf("error holds a control character: %q", err)
			}
			return
		}
		p := cfg.Program
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid program: %v", err)
		}
		for _, text := range programTexts(p) {
			if strings.ContainsFunc(text, unsafeRune) {
				t.Fatalf("accepted a text with a control character: %q", text)
			}
		}
		for i := 1; i < len(p.Tiers); i++ {
			if p.Tiers[i].Rank <= p.Tiers[i-1].Rank {
				t.Fatalf("tiers not sorted by rank: %+v", p.Tiers)
			}
		}
		for _, m := range p.Metrics {
			if cfg.Production.Metrics[m.Key] == "" {
				t.Fatalf("metric %q has no production column", m.Key)
			}
		}
		if p.Window < 1 || p.GraceReviews < 0 || p.TopTierMaxShare <= 0 || p.TopTierMaxShare > 1 {
			t.Fatalf("program options out of range: %+v", p)
		}
	})
}

// programTexts is every text of a program the app or a report shows.
func programTexts(p *model.Program) []string {
	out := []string{p.Name}
	for _, m := range p.Metrics {
		out = append(out, m.Key, m.Label, m.Singular)
	}
	for _, t := range p.Tiers {
		out = append(out, t.Key, t.Name)
		out = append(out, t.Allocation.Benefits...)
	}
	for _, t := range p.Tracks {
		out = append(out, t.Key, t.Name)
	}
	for _, m := range p.Managers {
		out = append(out, m.Name, m.Email)
	}
	return out
}
