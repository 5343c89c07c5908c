package model

import (
	"testing"
	"time"
)

func TestWeeks(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		week  string
		loc   *time.Location
		start string
		hours float64
	}{
		{"2026-W46", time.UTC, "2026-11-09T00:00:00Z", 168},
		{"2026-W01", time.UTC, "2025-12-29T00:00:00Z", 168},
		{"2020-W53", time.UTC, "2020-12-28T00:00:00Z", 168},
		{"2026-W11", ny, "2026-03-09T00:00:00-04:00", 168}, // after the change on 8 March
		{"2026-W10", ny, "2026-03-02T00:00:00-05:00", 167}, // springs forward on Sunday 8 March
		{"2026-W44", ny, "2026-10-26T00:00:00-04:00", 169}, // falls back on Sunday 1 November
	}
	for _, tt := range tests {
		w, err := ParseWeek(tt.week)
		if err != nil {
			t.Fatalf("%s: %v", tt.week, err)
		}
		if got := w.Start(tt.loc).Format(time.RFC3339); got != tt.start {
			t.Errorf("%s starts %s, want %s", tt.week, got, tt.start)
		}
		if got := w.End(tt.loc).Sub(w.Start(tt.loc)).Hours(); got != tt.hours {
			t.Errorf("%s in %s lasts %v h, want %v", tt.week, tt.loc, got, tt.hours)
		}
		if w.String() != tt.week {
			t.Errorf("String() = %s, want %s", w, tt.week)
		}
	}
	for _, bad := range []string{"2026-W54", "2026-W00", "2026W46", "2021-W53", "x"} {
		if _, err := ParseWeek(bad); err == nil {
			t.Errorf("ParseWeek(%q) should fail", bad)
		}
	}
	if got := LastWeek(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), time.UTC).String(); got != "2026-W46" {
		t.Errorf("LastWeek on 2026-11-21 = %s, want 2026-W46", got)
	}
	if got := MustWeek("2026-W01").Step(-1).String(); got != "2025-W52" {
		t.Errorf("step back from 2026-W01 = %s", got)
	}
}
