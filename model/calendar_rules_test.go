package model

import (
	"testing"
	"time"
)

// free and all-day meetings with a matching attendee.
func TestCountWeekExcludesFreeAndAllDayOfAPartner(t *testing.T) {
	m := NewMatcher(calendarPartners(), []string{"acme-cloud.example"})
	free := meeting("f", at(2, "12:00"), at(2, "13:00"), "Hold", "x@northwind.example")
	free.Transparent = true
	allDay := meeting("d", at(3, "00:00"), at(4, "00:00"), "Offsite", "x@northwind.example")
	allDay.AllDay = true
	got := CountWeek([]Meeting{free, allDay}, MustWeek("2026-W46"), time.UTC, owner, m)
	if got.Hours["northwind"] != 0 {
		t.Errorf("free/all-day counted: %v h", got.Hours["northwind"])
	}
}

// a domain match wins; the summary is not consulted.
func TestMatchDomainFirst(t *testing.T) {
	m := NewMatcher(calendarPartners(), []string{"acme-cloud.example"})
	ids, _ := m.Match(meeting("1", at(0, "10:00"), at(0, "11:00"), "Acme prep", "x@northwind.example"))
	if len(ids) != 1 || ids[0] != "northwind" {
		t.Errorf("ids = %v, want [northwind] only", ids)
	}
}

// a look-alike domain is not internal.
func TestLookalikeDomainIsNotInternal(t *testing.T) {
	m := NewMatcher(calendarPartners(), []string{"acme-cloud.example"})
	ids, internal := m.Match(meeting("1", at(0, "10:00"), at(0, "11:00"), "Call", "x@notacme-cloud.example"))
	if len(ids) != 0 || internal {
		t.Errorf("ids %v internal %v, want unmatched", ids, internal)
	}
}

// the boundaries of over- and under-served.
func TestAlignBoundaries(t *testing.T) {
	p := testProgram() // registered 0.25, silver 1, gold 3
	ps := calendarPartners()
	has := func(l []PartnerHours, id string) bool {
		for _, x := range l {
			if x.ID == id {
				return true
			}
		}
		return false
	}
	// silver acme: exactly 2x (2h) is not over; 2.0001x is not over either unless ≥1h above: 2.5h is.
	if a := Align(p, ps, map[string]float64{"acme": 2}); has(a.Over, "acme") {
		t.Error("exactly twice the allocation is over-served")
	}
	if a := Align(p, ps, map[string]float64{"brightpath": 0.6}); has(a.Over, "brightpath") {
		t.Error("0.35 h above allocation is over-served")
	}
	if a := Align(p, ps, map[string]float64{"brightpath": 1.25}); !has(a.Over, "brightpath") {
		t.Error("exactly 1 h above and >2x is not over-served")
	}
	// gold northwind: exactly half (1.5) is not under; a silver partner with 0 h is not under.
	if a := Align(p, ps, map[string]float64{"northwind": 1.5}); has(a.Under, "northwind") {
		t.Error("exactly half is under-served")
	}
	if a := Align(p, ps, map[string]float64{"northwind": 3}); has(a.Under, "acme") {
		t.Error("a silver partner is under-served")
	}
}
