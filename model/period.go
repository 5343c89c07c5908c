package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cadence is how often the program reviews its partners; it also sets the
// length of a period.
type Cadence string

const (
	Quarterly  Cadence = "quarterly"
	HalfYearly Cadence = "half-yearly"
)

// ParseCadence accepts the cadence names used in the config.
func ParseCadence(s string) (Cadence, error) {
	switch Cadence(strings.ToLower(strings.TrimSpace(s))) {
	case Quarterly:
		return Quarterly, nil
	case HalfYearly, "halfyearly", "half_yearly", "semiannual":
		return HalfYearly, nil
	}
	return "", fmt.Errorf("cadence %q: want %q or %q", s, Quarterly, HalfYearly)
}

// perYear is the number of periods in a year for the cadence.
func (c Cadence) perYear() int {
	if c == HalfYearly {
		return 2
	}
	return 4
}

// Period is one review period: a quarter (2026-Q3) or a half (2026-H2).
// The zero Period is invalid.
type Period struct {
	Year  int
	Index int // 1-based: quarter 1..4 or half 1..2
	Cad   Cadence
}

// ParsePeriod reads "2026-Q3" or "2026-H2" (case-insensitive).
func ParsePeriod(s string) (Period, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	year, rest, ok := strings.Cut(t, "-")
	if !ok || len(rest) != 2 {
		return Period{}, fmt.Errorf("period %q: want a quarter like 2026-Q3 or a half like 2026-H2", s)
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 1900 || y > 9999 {
		return Period{}, fmt.Errorf("period %q: bad year", s)
	}
	idx := int(rest[1] - '0')
	switch rest[0] {
	case 'Q':
		if idx < 1 || idx > 4 {
			return Period{}, fmt.Errorf("period %q: quarter must be Q1 to Q4", s)
		}
		return Period{Year: y, Index: idx, Cad: Quarterly}, nil
	case 'H':
		if idx < 1 || idx > 2 {
			return Period{}, fmt.Errorf("period %q: half must be H1 or H2", s)
		}
		return Period{Year: y, Index: idx, Cad: HalfYearly}, nil
	}
	return Period{}, fmt.Errorf("period %q: want a quarter like 2026-Q3 or a half like 2026-H2", s)
}

// MustPeriod is ParsePeriod for literals in tests and tables; it panics on error.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	if p.Cad == HalfYearly {
		return fmt.Sprintf("%d-H%d", p.Year, p.Index)
	}
	return fmt.Sprintf("%d-Q%d", p.Year, p.Index)
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.Year == 0 }

// ordinal counts periods since year 0, for ordering and stepping.
func (p Period) ordinal() int { return p.Year*p.Cad.perYear() + p.Index - 1 }

func fromOrdinal(n int, c Cadence) Period {
	per := c.perYear()
	return Period{Year: n / per, Index: n%per + 1, Cad: c}
}

// Step moves n periods forward (negative n moves back).
func (p Period) Step(n int) Period { return fromOrdinal(p.ordinal()+n, p.Cad) }

// Next and Prev step one period.
func (p Period) Next() Period { return p.Step(1) }
func (p Period) Prev() Period { return p.Step(-1) }

// Compare orders periods of the same cadence: -1, 0 or 1.
func (p Period) Compare(q Period) int {
	a, b := p.ordinal(), q.ordinal()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether p comes before q.
func (p Period) Before(q Period) bool { return p.Compare(q) < 0 }

// Start is the first instant of the period, in UTC.
func (p Period) Start() time.Time {
	months := 12 / p.Cad.perYear()
	return time.Date(p.Year, time.Month((p.Index-1)*months+1), 1, 0, 0, 0, 0, time.UTC)
}

// End is the first instant after the period.
func (p Period) End() time.Time { return p.Next().Start() }

// Contains reports whether t falls inside the period.
func (p Period) Contains(t time.Time) bool {
	t = t.UTC()
	return !t.Before(p.Start()) && t.Before(p.End())
}

// PeriodOf is the period of the cadence that t falls in.
func PeriodOf(t time.Time, c Cadence) Period {
	if c == "" {
		c = Quarterly
	}
	t = t.UTC()
	months := 12 / c.perYear()
	return Period{Year: t.Year(), Index: (int(t.Month())-1)/months + 1, Cad: c}
}

// LastComplete is the most recent period that has ended by now: the default
// period for a review.
func LastComplete(now time.Time, c Cadence) Period { return PeriodOf(now, c).Prev() }

// Window lists the n periods ending at p, oldest first.
func (p Period) Window(n int) []Period {
	if n < 1 {
		n = 1
	}
	out := make([]Period, n)
	for i := range n {
		out[i] = p.Step(i - n + 1)
	}
	return out
}

// CurrentPeriod is the period the app evaluates partners for: the last
// complete period, or the latest one with production if the data lags
// behind, so a store imported a quarter late still shows whole windows.
func CurrentPeriod(now time.Time, c Cadence, withData []Period) Period {
	last := LastComplete(now, c)
	var latest Period
	for _, p := range withData {
		if p.Cad == c && !last.Before(p) && (latest.IsZero() || latest.Before(p)) {
			latest = p
		}
	}
	if latest.IsZero() {
		return last
	}
	return latest
}

// MarshalText writes "2026-Q3", so periods read naturally in JSON.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what MarshalText wrote; empty is the zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
