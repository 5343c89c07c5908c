package model

import (
	"strings"
	"time"
	"unicode"
)

// Partner is one company in the program. Its tier is earned on production,
// never on its own size.
type Partner struct {
	ID        string // slug: "northwind-global"
	Name      string
	Track     string
	Manager   string
	Domains   []string // email domains, lower case: "northwind.com"
	Aliases   []string
	Tier      string
	TierSince time.Time
	Joined    time.Time
	Exited    bool
}

// Active reports whether the partner is still in the program.
func (p Partner) Active() bool { return !p.Exited }

// Slug makes an id from a name: lower case, ASCII letters and digits,
// words joined by hyphens.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// Production is one partner's metric values for one period.
type Production struct {
	Partner string
	Period  Period
	Values  map[string]float64
}

// History is one tier change, appended at finalize and never edited.
type History struct {
	Partner  string
	From     string // empty when the partner entered the program
	To       string
	Period   Period
	Kind     MoveKind
	Reason   string // the evidence sentence, or the override reason
	Override bool
	By       string
	At       time.Time
}

// Apply gives p the tier h moves it to, since h.At: all that finalizing
// a review changes in a partner it moves.
func (h History) Apply(p *Partner) { p.Tier, p.TierSince = h.To, h.At }

// Set is the kind of a tier change made outside a review, by a roster
// import: on record, but not evidence that the program reviews and moves
// partners.
const Set MoveKind = "set"

// Reviewed reports whether the change came out of a review.
func (h History) Reviewed() bool { return h.Kind != Set }

// Direction is +1 for a promotion, -1 for a demotion, 0 otherwise.
func (h History) Direction(p *Program) int {
	a, b := p.TierIndex(h.From), p.TierIndex(h.To)
	switch {
	case h.From == "" || a < 0 || b < 0 || a == b:
		return 0 // joined, or a tier the program no longer has
	case b > a:
		return 1
	}
	return -1
}
