package ics

import (
	"strings"
	"testing"
	"time"
)

func TestEveryEmbeddedZoneLoads(t *testing.T) {
	t.Parallel()
	names := strings.Fields(zonesTXT)
	if len(names) < 500 {
		t.Fatalf("only %d zone names", len(names))
	}
	for _, name := range names {
		if loadIANA(name) == nil {
			t.Errorf("zones.txt: %q does not load", name)
		}
	}
}

func TestWindowsZones(t *testing.T) {
	t.Parallel()
	n := 0
	for _, line := range strings.Split(windowsZonesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("bad line %q", line)
		}
		n++
		id, iana, display := f[0], f[1], f[2]
		for _, tzid := range []string{id, strings.ToUpper(id), display} {
			loc := resolveKnown(tzid)
			if loc == nil {
				t.Errorf("%q does not resolve", tzid)
				continue
			}
			// An ID that is also an IANA name ("UTC") resolves as that.
			if loc.String() != iana && loadIANA(tzid) == nil {
				t.Errorf("%q resolves to %s, want %s", tzid, loc, iana)
			}
		}
	}
	if n != 139 {
		t.Errorf("%d Windows zones, want 139", n)
	}
}

func TestResolveKnown(t *testing.T) {
	tests := []struct{ tzid, want string }{
		{"America/New_York", "America/New_York"},
		{"AMERICA/NEW_YORK", "America/New_York"},
		{"us/eastern", "US/Eastern"},
		{"etc/gmt+5", "Etc/GMT+5"},
		{"/mozilla.org/20050126_1/America/New_York", "America/New_York"},
		{"/freeassociation.sourceforge.net/Tzfile/Europe/London", "Europe/London"},
		{"/citadel.org/20190914_1/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"},
		{"tzone://Microsoft/Utc", "UTC"},
		{"Pacific Standard Time", "America/Los_Angeles"},
		{"w. europe standard time", "Europe/Berlin"},
		{"(UTC+07:00) Bangkok, Hanoi, Jakarta", "Asia/Bangkok"},
		{"(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"},
		{"(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"},
		{"(UTC) Coordinated Universal Time", "Etc/UTC"},
		{"(UTC+03:00) Moscow, St. Petersburg", "Europe/Moscow"},
		{"(UTC+04:00) Moscow, St. Petersburg", "Europe/Moscow"}, // the offset Windows once showed
		{"Local", ""},
		{"", ""},
		{"../../etc/passwd", ""},
		{"Custom Time Zone", ""},
		{"(UTC+05:00) Nowhere", ""},
	}
	for _, tt := range tests {
		got := ""
		if loc := resolveKnown(tt.tzid); loc != nil {
			got = loc.String()
		}
		if got != tt.want {
			t.Errorf("resolveKnown(%q) = %q, want %q", tt.tzid, got, tt.want)
		}
	}
}

func TestParseNamedOffset(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"UTC", 0, true},
		{"GMT+1", 3600, true},
		{"UTC-05:00", -5 * 3600, true},
		{"UTC+0530", 5*3600 + 1800, true},
		{"UTC+545", 5*3600 + 45*60, true},
		{"UTC+12:45", 12*3600 + 45*60, true},
		{"UTC+15", 0, false},
		{"EST", 0, false},
		{"UTC+ab", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNamedOffset(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseNamedOffset(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestVTimezoneMatchesIANA builds Europe/Berlin and America/New_York from
// the VTIMEZONEs Google writes and compares them with the IANA zones every
// hour over the window.
func TestVTimezoneMatchesIANA(t *testing.T) {
	zones := map[string]string{
		"Berlin": vcal(
			"BEGIN:VTIMEZONE", "TZID:Berlin",
			"BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
			"DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
			"BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
			"DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
			"END:VTIMEZONE"),
		"NewYork": vcal(
			"BEGIN:VTIMEZONE", "TZID:NewYork",
			"BEGIN:DAYLIGHT", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT",
			"DTSTART:20070311T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT",
			"BEGIN:STANDARD", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST",
			"DTSTART:20071104T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
			"END:VTIMEZONE"),
	}
	iana := map[string]*time.Location{"Berlin": berlin, "NewYork": newYork}
	opts := Options{From: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Zone: time.UTC}
	for name, data := range zones {
		p := newParser(opts)
		cals, _ := p.scan(data)
		c := &calendar{p: p, vtz: map[string]*component{name: cals[0].children[0]}, zones: map[string]*time.Location{}}
		loc := c.fromVTimezone(name)
		if loc == nil || len(p.warnings) > 0 {
			t.Fatalf("%s: no zone: %v", name, p.warnings)
		}
		for at := opts.From; at.Before(opts.To); at = at.Add(time.Hour) {
			_, got := at.In(loc).Zone()
			_, want := at.In(iana[name]).Zone()
			if got != want {
				t.Fatalf("%s at %s: offset %d, want %d", name, at, got, want)
			}
		}
		// Wall clock to instant, including the hour that does not exist.
		for _, wall := range []time.Time{time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC), time.Date(2026, 3, 29, 2, 30, 0, 0, time.UTC), time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)} {
			a := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, loc)
			b := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, iana[name])
			if !a.Equal(b) {
				t.Errorf("%s: %s reads as %s, IANA %s", name, wall.Format("2006-01-02 15:04"), a.UTC(), b.UTC())
			}
		}
	}
}
