package store

import (
	"errors"
	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/config"
	"strings"
	"testing"
	"time"
)

// weekly is a weekly sync with Northwind on Tuesdays at 10:00 New York
// time, one week excepted, plus a one-off intro call with nobody known.
const weekly = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" +
	"BEGIN:VEVENT\r\nUID:sync-1\r\nSEQUENCE:0\r\nSUMMARY:Northwind weekly sync\r\n" +
	"DTSTART;TZID=America/New_York:20261006T100000\r\nDTEND;TZID=America/New_York:20261006T110000\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=America/New_York:20261020T100000\r\n" +
	"ATTENDEE;PARTSTAT=ACCEPTED:mailto:pm@northwind.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:dana@acmecloud.example\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:intro-1\r\nSUMMARY:Intro call\r\n" +
	"DTSTART:20261110T160000Z\r\nDTEND:20261110T163000Z\r\n" +
	"ATTENDEE:mailto:someone@newco.example\r\nATTENDEE:mailto:dana@acmecloud.example\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

func TestImportCalendar(t *testing.T) {
	s := seeded(t)
	ny, _ := time.LoadLocation("America/New_York")
	opts := CalendarOptions{Zone: ny, Now: testNow}
	rep, err := s.ImportCalendar("dana.ics", []byte(weekly), opts)
	if err != nil {
		t.Fatal(err)
	}
	// Ten weekly instances (6 Oct to 8 Dec) less the excepted one and the
	// last, after the window's end two weeks from now, plus the intro call.
	if rep.Meetings != 9 || rep.Written != 9 || rep.AlreadyImported {
		t.Fatalf("report = %+v", rep)
	}
	again, err := s.ImportCalendar("dana.ics", []byte(weekly), opts)
	if err != nil || !again.AlreadyImported {
		t.Fatalf("re-import: %+v, %v", again, err)
	}

	// Week of 9 November: one sync (10:00 EST = 15:00 UTC) and the intro call.
	from := time.Date(2026, 11, 9, 5, 0, 0, 0, time.UTC)
	week, err := s.Meetings(from, from.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(week) != 2 || week[0].Summary != "Northwind weekly sync" || !week[0].Start.Equal(time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)) {
		t.Fatalf("week = %+v", week)
	}

	// The same occurrence from another export, older: the newer one stays.
	older := strings.Replace(strings.Replace(weekly, "SEQUENCE:0", "SEQUENCE:0", 1), "Northwind weekly sync", "Old title", 1)
	older = strings.Replace(older, "PRODID:test", "PRODID:other", 1)
	newer := strings.Replace(weekly, "SEQUENCE:0", "SEQUENCE:3", 1)
	newer = strings.Replace(newer, "PRODID:test", "PRODID:newer", 1)
	if _, err := s.ImportCalendar("newer.ics", []byte(newer), opts); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.ImportCalendar("older.ics", []byte(strings.Replace(older, "SEQUENCE:0", "SEQUENCE:1", 1)), opts); err != nil || rep.Written != 0 {
		t.Fatalf("older export: %+v, %v (nothing in it is newer: nothing written)", rep, err)
	}
	week, _ = s.Meetings(from, from.Add(7*24*time.Hour))
	if week[0].Summary != "Northwind weekly sync" || week[0].Sequence != 3 {
		t.Errorf("after an older export the sync is %q (sequence %d)", week[0].Summary, week[0].Sequence)
	}

	// Assigning learns a domain from an outside attendee.
	learned, err := s.AssignMeeting(week[1].Key(), "contoso", []string{"acmecloud.example"})
	if err != nil || learned != "domain newco.example" {
		t.Fatalf("assign: %q, %v", learned, err)
	}
	if p, _ := s.Partner("contoso"); !strings.Contains(strings.Join(p.Domains, ","), "newco.example") {
		t.Errorf("contoso domains = %v", p.Domains)
	}
	if ids, _ := s.FindIDs("newco.example"); len(ids) != 1 || ids[0] != "contoso" {
		t.Errorf("the names index does not know the learned domain: %v", ids)
	}
	if _, err := s.AssignMeeting("nope", "contoso", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown meeting: %v", err)
	}
}

func TestImportCalendarRefusesNonCalendar(t *testing.T) {
	s := seeded(t)
	if _, err := s.ImportCalendar("notes.txt", []byte("hello\nworld\n"), CalendarOptions{Now: testNow}); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("err = %v", err)
	}
	if m, err := s.Meetings(time.Time{}, time.Now().AddDate(10, 0, 0)); err != nil || len(m) != 0 {
		t.Errorf("meetings after a refused import: %v, %v", m, err)
	}
}

func TestCountWeekReadsPartnersOnlyForMeetings(t *testing.T) {
	s := seeded(t)
	cal := config.Calendar{Zone: time.UTC}
	called := false
	partners := func() ([]model.Partner, error) { called = true; return s.Partners() }
	if _, n, err := CountWeek(s, cal, model.MustWeek("2026-W46"), partners); err != nil || n != 0 || called {
		t.Fatalf("an empty week: %d meetings, partners read %v, %v", n, called, err)
	}
	if _, err := s.ImportCalendar("dana.ics", []byte(weekly), CalendarOptions{Zone: time.UTC, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	wh, n, err := CountWeek(s, cal, model.MustWeek("2026-W46"), partners)
	if err != nil || n != 2 || !called {
		t.Fatalf("a week with meetings: %d meetings, partners read %v, %v", n, called, err)
	}
	// The sync's attendee is at northwind.com, the seeded Northwind's
	// domain: one hour; the intro call matches nobody.
	if wh.Hours["northwind-global"] != 1 || wh.Meetings["northwind-global"] != 1 || len(wh.Unmatched) != 1 {
		t.Errorf("hours %v, meetings %v, %d unmatched", wh.Hours, wh.Meetings, len(wh.Unmatched))
	}
}

// TestCountWeekLeavesOutExitedPartners: show counts from name entries,
// align from whole partners; both leave an exited partner out, so a
// meeting it shared is not split with it.
func TestCountWeekLeavesOutExitedPartners(t *testing.T) {
	s := seeded(t)
	ps := mustPartners(t, s)
	for i := range ps {
		if ps[i].ID == "contoso" {
			ps[i].Exited = true
			ps[i].Domains = []string{"northwind-partner.example"}
		}
	}
	if err := s.PutPartners(ps); err != nil {
		t.Fatal(err)
	}
	entries, err := s.NameEntries()
	if err != nil {
		t.Fatal(err)
	}
	fromEntries := func() ([]model.Partner, error) {
		out := make([]model.Partner, len(entries))
		for i, e := range entries {
			out[i] = model.Partner{ID: e.ID, Name: e.Name, Aliases: e.Aliases, Domains: e.Domains, Exited: e.Exited}
		}
		return out, nil
	}
	joint := strings.Replace(weekly, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:dana@acmecloud.example\r\nEND:VEVENT",
		"ATTENDEE;PARTSTAT=ACCEPTED:mailto:x@northwind-partner.example\r\nEND:VEVENT", 1)
	if _, err := s.ImportCalendar("joint.ics", []byte(joint), CalendarOptions{Zone: time.UTC, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	week := model.MustWeek("2026-W46")
	a, _, _ := CountWeek(s, config.Calendar{Zone: time.UTC}, week, s.Partners)
	b, _, _ := CountWeek(s, config.Calendar{Zone: time.UTC}, week, fromEntries)
	if a.Hours["northwind-global"] != 1 || b.Hours["northwind-global"] != 1 {
		t.Errorf("northwind: %v h from partners, %v h from name entries; want 1 and 1 (the exited partner takes no share)",
			a.Hours["northwind-global"], b.Hours["northwind-global"])
	}
}
