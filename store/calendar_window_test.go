package store

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/config"
)

// the window reaches 26 weeks back, not 25.
func TestImportCalendarKeeps26WeeksBack(t *testing.T) {
	s := seeded(t)
	old := testNow.Add(-(25*7 + 3) * 24 * time.Hour).UTC().Format("20060102T150405Z")
	oldEnd := testNow.Add(-(25*7+3)*24*time.Hour + time.Hour).UTC().Format("20060102T150405Z")
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:old-1\r\nSUMMARY:Old\r\nDTSTART:" + old + "\r\nDTEND:" + oldEnd + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	rep, err := s.ImportCalendar("old.ics", []byte(ics), CalendarOptions{Zone: time.UTC, Now: testNow})
	if err != nil || rep.Meetings != 1 {
		t.Fatalf("%+v %v: a meeting 25.5 weeks back is kept", rep, err)
	}
}

// a meeting that started before `from` but runs into it.
func TestMeetingsOverlapping(t *testing.T) {
	s := seeded(t)
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:late\r\nSUMMARY:Late\r\nDTSTART:20261115T230000Z\r\nDTEND:20261116T010000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if _, err := s.ImportCalendar("late.ics", []byte(ics), CalendarOptions{Zone: time.UTC, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	ms, _ := s.Meetings(time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	if len(ms) != 1 {
		t.Errorf("meetings = %d, want the one running over midnight", len(ms))
	}
}

// alias learned when only team attendees; the team's
// domain listed first is skipped.
func TestAssignMeetingLearnsAliasAndSkipsTeam(t *testing.T) {
	s := seeded(t)
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Project Falcon\r\nDTSTART:20261117T150000Z\r\nDTEND:20261117T160000Z\r\nATTENDEE:mailto:dana@acmecloud.example\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Intro\r\nDTSTART:20261118T150000Z\r\nDTEND:20261118T160000Z\r\nATTENDEE:mailto:dana@eu.acmecloud.example\r\nATTENDEE:mailto:x@falcon.example\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	if _, err := s.ImportCalendar("a.ics", []byte(ics), CalendarOptions{Zone: time.UTC, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	team := []string{"acmecloud.example"}
	if l, err := s.AssignMeeting("a", "contoso", team); err != nil || l != "alias Project Falcon" {
		t.Fatalf("assign a: %q %v", l, err)
	}
	if l, err := s.AssignMeeting("b", "contoso", team); err != nil || l != "domain falcon.example" {
		t.Fatalf("assign b: %q %v", l, err)
	}
	p, _ := s.Partner("contoso")
	if !slices.Contains(p.Aliases, "Project Falcon") || !slices.Contains(p.Domains, "falcon.example") {
		t.Errorf("contoso = %v %v", p.Aliases, p.Domains)
	}
}

// A series rescheduled in a later export (SEQUENCE bumped, Tuesday →
// Wednesday) replaces its old instances: the week counts one sync, not two.
func TestRescheduledSeriesReplacesItsInstances(t *testing.T) {
	s := seeded(t)
	opts := CalendarOptions{Zone: time.UTC, Now: testNow}
	if _, err := s.ImportCalendar("dana.ics", []byte(weekly), opts); err != nil {
		t.Fatal(err)
	}
	moved := strings.Replace(weekly, "SEQUENCE:0", "SEQUENCE:1", 1)
	moved = strings.ReplaceAll(moved, "20261006T", "20261007T")
	if _, err := s.ImportCalendar("dana.ics", []byte(moved), opts); err != nil {
		t.Fatal(err)
	}
	wh, _, _ := CountWeek(s, config.Calendar{Zone: time.UTC}, model.MustWeek("2026-W46"), s.Partners)
	if h := wh.Hours["northwind-global"]; h != 1 {
		t.Errorf("northwind = %v h after the series moved to Wednesday, want 1", h)
	}
}

// The same file imported again weeks later is read again: the window has
// moved on, and an open-ended series has occurrences to store there.
func TestSameFileLaterRollsTheWindow(t *testing.T) {
	s := seeded(t)
	open := strings.Replace(weekly, "RRULE:FREQ=WEEKLY;COUNT=10", "RRULE:FREQ=WEEKLY", 1)
	if _, err := s.ImportCalendar("dana.ics", []byte(open), CalendarOptions{Zone: time.UTC, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	later := testNow.AddDate(0, 0, 28)
	if _, err := s.ImportCalendar("dana.ics", []byte(open), CalendarOptions{Zone: time.UTC, Now: later}); err != nil {
		t.Fatal(err)
	}
	week := model.WeekOf(later, time.UTC)
	wh, _, _ := CountWeek(s, config.Calendar{Zone: time.UTC}, week, s.Partners)
	if h := wh.Hours["northwind-global"]; h != 1 {
		t.Errorf("week %v: northwind = %v h, want 1 (the weekly sync)", week, h)
	}
}
