package model

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"2026-Q3", "2026-Q3", false},
		{" 2026-q1 ", "2026-Q1", false},
		{"2026-H2", "2026-H2", false},
		{"2026-Q5", "", true},
		{"2026-H3", "", true},
		{"2026Q3", "", true},
		{"26-Q3", "", true},
		{"2026-X1", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParsePeriod(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("ParsePeriod(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPeriodStepAndOrder(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-Q4", 1, "2027-Q1"},
		{"2026-Q1", -1, "2025-Q4"},
		{"2026-Q3", -4, "2025-Q3"},
		{"2026-H2", 1, "2027-H1"},
		{"2026-H1", -3, "2024-H2"},
		{"2026-Q2", 0, "2026-Q2"},
	}
	for _, tt := range tests {
		if got := MustPeriod(tt.from).Step(tt.n).String(); got != tt.want {
			t.Errorf("%s.Step(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if !MustPeriod("2025-Q4").Before(MustPeriod("2026-Q1")) {
		t.Error("2025-Q4 should come before 2026-Q1")
	}
	if MustPeriod("2026-Q2").Compare(MustPeriod("2026-Q2")) != 0 {
		t.Error("a period should equal itself")
	}
}

func TestPeriodOfAndBounds(t *testing.T) {
	tests := []struct {
		date    string
		cad     Cadence
		want    string
		last    string
		start   string
		endNext string
	}{
		{"2026-11-21", Quarterly, "2026-Q4", "2026-Q3", "2026-10-01", "2027-01-01"},
		{"2026-01-01", Quarterly, "2026-Q1", "2025-Q4", "2026-01-01", "2026-04-01"},
		{"2026-06-30", Quarterly, "2026-Q2", "2026-Q1", "2026-04-01", "2026-07-01"},
		{"2026-11-21", HalfYearly, "2026-H2", "2026-H1", "2026-07-01", "2027-01-01"},
		{"2026-03-01", HalfYearly, "2026-H1", "2025-H2", "2026-01-01", "2026-07-01"},
	}
	for _, tt := range tests {
		p := PeriodOf(day(tt.date), tt.cad)
		if p.String() != tt.want {
			t.Errorf("PeriodOf(%s, %s) = %s, want %s", tt.date, tt.cad, p, tt.want)
		}
		if got := LastComplete(day(tt.date), tt.cad).String(); got != tt.last {
			t.Errorf("LastComplete(%s) = %s, want %s", tt.date, got, tt.last)
		}
		if got := p.Start().Format(time.DateOnly); got != tt.start {
			t.Errorf("%s.Start() = %s, want %s", p, got, tt.start)
		}
		if got := p.End().Format(time.DateOnly); got != tt.endNext {
			t.Errorf("%s.End() = %s, want %s", p, got, tt.endNext)
		}
		if !p.Contains(day(tt.date)) || p.Contains(p.End()) {
			t.Errorf("%s should contain %s and not its end", p, tt.date)
		}
	}
}

func TestWindow(t *testing.T) {
	w := MustPeriod("2026-Q1").Window(3)
	want := []string{"2025-Q3", "2025-Q4", "2026-Q1"}
	for i, p := range w {
		if p.String() != want[i] {
			t.Fatalf("Window(3) = %v, want %v", w, want)
		}
	}
	if n := len(MustPeriod("2026-Q1").Window(0)); n != 1 {
		t.Errorf("Window(0) has %d periods, want 1", n)
	}
}

func TestParseCadence(t *testing.T) {
	for in, want := range map[string]Cadence{"quarterly": Quarterly, "Half-Yearly": HalfYearly, "half_yearly": HalfYearly} {
		if got, err := ParseCadence(in); err != nil || got != want {
			t.Errorf("ParseCadence(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseCadence("monthly"); err == nil {
		t.Error("monthly should be refused")
	}
}

func TestCurrentPeriod(t *testing.T) {
	now := day("2026-11-21")
	tests := []struct {
		name string
		data []string
		want string
	}{
		{"no data: the last complete period", nil, "2026-Q3"},
		{"data up to date", []string{"2026-Q2", "2026-Q3"}, "2026-Q3"},
		{"data lags a quarter", []string{"2026-Q1", "2026-Q2"}, "2026-Q2"},
		{"the running quarter is never evaluated", []string{"2026-Q3", "2026-Q4"}, "2026-Q3"},
		{"halves are ignored in a quarterly program", []string{"2026-H1"}, "2026-Q3"},
	}
	for _, tt := range tests {
		var ps []Period
		for _, s := range tt.data {
			ps = append(ps, MustPeriod(s))
		}
		if got := CurrentPeriod(now, Quarterly, ps).String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}
