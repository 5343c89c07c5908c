package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Week is an ISO week: 2026-W46.
type Week struct {
	Year, Num int
}

// ParseWeek reads "2026-W46" (case-insensitive).
func ParseWeek(s string) (Week, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	year, num, ok := strings.Cut(t, "-W")
	y, err1 := strconv.Atoi(year)
	n, err2 := strconv.Atoi(num)
	if !ok || err1 != nil || err2 != nil || y < 1900 || y > 9999 || n < 1 {
		return Week{}, fmt.Errorf("week %q: want an ISO week like 2026-W46", s)
	}
	w := Week{y, n}
	if w.Start(time.UTC).Year() > y+1 || WeekOf(w.Start(time.UTC), time.UTC) != w {
		return Week{}, fmt.Errorf("week %q: %d has no week %d", s, y, n)
	}
	return w, nil
}

func (w Week) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Num) }

// WeekOf is the ISO week that t falls in, in loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	y, n := t.In(loc).ISOWeek()
	return Week{y, n}
}

// LastWeek is the ISO week before the one now falls in: the default of the
// weekly calendar check.
func LastWeek(now time.Time, loc *time.Location) Week {
	return WeekOf(WeekOf(now, loc).Start(loc).AddDate(0, 0, -7), loc)
}

// Start is the local midnight that opens the week's Monday in loc.
func (w Week) Start(loc *time.Location) time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w.Num-1))
}

// End is the local midnight after the week's Sunday. Built from the
// calendar, not by adding 168 hours: a week with a DST change is 167 or
// 169 hours long.
func (w Week) End(loc *time.Location) time.Time { return w.Start(loc).AddDate(0, 0, 7) }

// Step moves n weeks.
func (w Week) Step(n int) Week {
	return WeekOf(w.Start(time.UTC).AddDate(0, 0, 7*n), time.UTC)
}

// MustWeek is ParseWeek for literals in tests and tables; it panics on error.
func MustWeek(s string) Week {
	w, err := ParseWeek(s)
	if err != nil {
		panic(err)
	}
	return w
}
