package ics

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	newYork = mustZone("America/New_York")
	berlin  = mustZone("Europe/Berlin")
)

// vcal wraps events in a VCALENDAR, lines joined with CRLF.
func vcal(lines ...string) string {
	all := append([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//partnertiers//test//EN"}, lines...)
	all = append(all, "END:VCALENDAR")
	return strings.Join(all, "\r\n") + "\r\n"
}

// year2026 is the default test window.
var year2026 = Options{
	From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	To:   time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
	Zone: time.UTC,
}

// render is one meeting as a line: start with offset, length, key,
// status and flags, summary.
func render(m model.Meeting) string {
	s := fmt.Sprintf("%s %s %s", m.Start.Format("2006-01-02 15:04 -07:00"), m.End.Sub(m.Start), m.UID)
	if !m.Instance.IsZero() {
		s += "@" + m.Instance.Format("01-02T15:04")
	}
	if m.Status != "" {
		s += " " + m.Status
	}
	if m.Transparent {
		s += " free"
	}
	if m.AllDay {
		s += " all-day"
	}
	return s + " " + strconv.Quote(m.Summary)
}

func renderAll(ms []model.Meeting) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, render(m))
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		opts  *Options // default year2026
		want  []string
		warns []string // "line N: text" each must be the start of a warning
		check func(t *testing.T, res Result)
	}{
		{
			name: "weekly with an EXDATE list and a moved instance",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:sync@example.com",
				"DTSTART;TZID=America/New_York:20260105T100000",
				"DTEND;TZID=America/New_York:20260105T110000",
				"RRULE:FREQ=WEEKLY;COUNT=6",
				"EXDATE;TZID=America/New_York:20260112T100000,20260126T100000",
				"SUMMARY:Partner sync",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:sync@example.com",
				"RECURRENCE-ID;TZID=America/New_York:20260119T100000",
				"DTSTART;TZID=America/New_York:20260120T140000",
				"DTEND;TZID=America/New_York:20260120T150000",
				"SEQUENCE:1",
				"SUMMARY:Partner sync (moved)",
				"END:VEVENT",
			),
			want: []string{
				`2026-01-05 10:00 -05:00 1h0m0s sync@example.com@01-05T10:00 "Partner sync"`,
				`2026-01-20 14:00 -05:00 1h0m0s sync@example.com@01-19T10:00 "Partner sync (moved)"`,
				`2026-02-02 10:00 -05:00 1h0m0s sync@example.com@02-02T10:00 "Partner sync"`,
				`2026-02-09 10:00 -05:00 1h0m0s sync@example.com@02-09T10:00 "Partner sync"`,
			},
		},
		{
			name: "RDATE list and period",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:r@x",
				"DTSTART:20260302T090000Z",
				"DURATION:PT30M",
				"RDATE:20260304T090000Z,20260306T120000Z",
				"RDATE;VALUE=PERIOD:20260310T080000Z/PT2H,20260311T080000Z/20260311T083000Z",
				"EXDATE:20260304T090000Z",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 09:00 +00:00 30m0s r@x@03-02T09:00 ""`,
				`2026-03-06 12:00 +00:00 30m0s r@x@03-06T12:00 ""`,
				`2026-03-10 08:00 +00:00 2h0m0s r@x@03-10T08:00 ""`,
				`2026-03-11 08:00 +00:00 30m0s r@x@03-11T08:00 ""`,
			},
		},
		{
			name: "floating UNTIL is read in the event's zone",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:u@x",
				"DTSTART;TZID=America/New_York:20260302T100000",
				"DTEND;TZID=America/New_York:20260302T103000",
				// As UTC, 10:00Z is 05:00 in New York and would drop the 4th.
				"RRULE:FREQ=DAILY;UNTIL=20260304T100000",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:z@x",
				"DTSTART;TZID=America/New_York:20260302T100000",
				"RRULE:FREQ=DAILY;UNTIL=20260303T150000Z",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 -05:00 30m0s u@x@03-02T10:00 ""`,
				`2026-03-02 10:00 -05:00 0s z@x@03-02T10:00 ""`,
				`2026-03-03 10:00 -05:00 30m0s u@x@03-03T10:00 ""`,
				`2026-03-03 10:00 -05:00 0s z@x@03-03T10:00 ""`,
				`2026-03-04 10:00 -05:00 30m0s u@x@03-04T10:00 ""`,
			},
		},
		{
			name: "COUNT with BYDAY ordinals",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:c@x",
				"DTSTART;TZID=Europe/Berlin:20260105T090000",
				"DURATION:PT1H",
				"RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3",
				"END:VEVENT",
			),
			want: []string{
				`2026-01-05 09:00 +01:00 1h0m0s c@x@01-05T09:00 ""`,
				`2026-02-02 09:00 +01:00 1h0m0s c@x@02-02T09:00 ""`,
				`2026-03-02 09:00 +01:00 1h0m0s c@x@03-02T09:00 ""`,
			},
		},
		{
			name: "a weekly meeting stays at 10:00 in New York across the DST change",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:dst@x",
				"DTSTART;TZID=America/New_York:20260302T100000",
				"DTEND;TZID=America/New_York:20260302T110000",
				"RRULE:FREQ=WEEKLY;BYDAY=MO",
				"END:VEVENT",
			),
			opts: &Options{From: time.Date(2026, 3, 1, 0, 0, 0, 0, newYork), To: time.Date(2026, 3, 15, 0, 0, 0, 0, newYork), Zone: newYork},
			want: []string{
				`2026-03-02 10:00 -05:00 1h0m0s dst@x@03-02T10:00 ""`,
				`2026-03-09 10:00 -04:00 1h0m0s dst@x@03-09T10:00 ""`,
			},
			check: func(t *testing.T, res Result) {
				if got := res.Meetings[0].Start.UTC().Hour() - res.Meetings[1].Start.UTC().Hour(); got != 1 {
					t.Errorf("UTC hours differ by %d, want 1", got)
				}
			},
		},
		{
			name: "Windows zone names resolve through CLDR, over the file's VTIMEZONE",
			data: vcal(
				"BEGIN:VTIMEZONE",
				"TZID:Pacific Standard Time",
				"BEGIN:STANDARD",
				"DTSTART:16010101T000000",
				"TZOFFSETFROM:-0800",
				"TZOFFSETTO:-0800",
				"END:STANDARD",
				"END:VTIMEZONE",
				"BEGIN:VEVENT",
				"UID:w@x",
				"DTSTART;TZID=Pacific Standard Time:20260701T090000",
				"DTEND;TZID=pacific standard time:20260701T100000",
				"END:VEVENT",
			),
			want: []string{`2026-07-01 09:00 -07:00 1h0m0s w@x ""`},
			check: func(t *testing.T, res Result) {
				if got := res.Meetings[0].Start.Location().String(); got != "America/Los_Angeles" {
					t.Errorf("zone %s, want America/Los_Angeles", got)
				}
			},
		},
		{
			name: "Outlook display names resolve; an unknown one falls back to its offset",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:bkk@x",
				`DTSTART;TZID="(UTC+07:00) Bangkok, Hanoi, Jakarta":20260430T090000`,
				`DTEND;TZID="(UTC+07:00) Bangkok, Hanoi, Jakarta":20260430T120000`,
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:old@x",
				`DTSTART;TZID="(GMT-05:00) Eastern Time (US & Canada)":20260701T090000`,
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:nowhere@x",
				`DTSTART;TZID="(UTC+05:00) Nowhere Town":20260501T090000`,
				"END:VEVENT",
			),
			want: []string{
				`2026-04-30 09:00 +07:00 3h0m0s bkk@x ""`,
				`2026-05-01 09:00 +05:00 0s nowhere@x ""`,
				`2026-07-01 09:00 -04:00 0s old@x ""`,
			},
			warns: []string{`line 15: TZID "(UTC+05:00) Nowhere Town" is not a known zone and has no VTIMEZONE; using its UTC offset +05:00`},
			check: func(t *testing.T, res Result) {
				if got := res.Meetings[0].Start.Location().String(); got != "Asia/Bangkok" {
					t.Errorf("zone %s, want Asia/Bangkok", got)
				}
			},
		},
		{
			name: "a custom zone from the file's VTIMEZONE, daylight saving included",
			data: vcal(
				"BEGIN:VTIMEZONE",
				"TZID:Partner HQ Time",
				"BEGIN:STANDARD",
				"DTSTART:19701025T030000",
				"TZOFFSETFROM:+0200",
				"TZOFFSETTO:+0100",
				"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
				"END:STANDARD",
				"BEGIN:DAYLIGHT",
				"DTSTART:19700329T020000",
				"TZOFFSETFROM:+0100",
				"TZOFFSETTO:+0200",
				"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
				"END:DAYLIGHT",
				"END:VTIMEZONE",
				"BEGIN:VTIMEZONE",
				"TZID:Fixed",
				"BEGIN:STANDARD",
				"DTSTART:16010101T000000",
				"TZOFFSETFROM:+0530",
				"TZOFFSETTO:+0530",
				"END:STANDARD",
				"END:VTIMEZONE",
				"BEGIN:VEVENT",
				"UID:hq@x",
				"DTSTART;TZID=Partner HQ Time:20260327T100000",
				"DURATION:PT1H",
				"RRULE:FREQ=DAILY;COUNT=4",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:hq-autumn@x",
				"DTSTART;TZID=Partner HQ Time:20261025T010000",
				"DTEND;TZID=Partner HQ Time:20261025T050000",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:fixed@x",
				"DTSTART;TZID=Fixed:20260601T100000",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-27 10:00 +01:00 1h0m0s hq@x@03-27T10:00 ""`,
				`2026-03-28 10:00 +01:00 1h0m0s hq@x@03-28T10:00 ""`,
				`2026-03-29 10:00 +02:00 1h0m0s hq@x@03-29T10:00 ""`,
				`2026-03-30 10:00 +02:00 1h0m0s hq@x@03-30T10:00 ""`,
				`2026-06-01 10:00 +05:30 0s fixed@x ""`,
				`2026-10-25 01:00 +02:00 5h0m0s hq-autumn@x ""`, // 01:00 CEST to 05:00 CET
			},
		},
		{
			name: "floating times are read in the configured zone",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:f@x",
				"DTSTART:20260302T100000",
				"DTEND:20260302T110000",
				"END:VEVENT",
			),
			opts: &Options{From: year2026.From, To: year2026.To, Zone: berlin},
			want: []string{`2026-03-02 10:00 +01:00 1h0m0s f@x ""`},
		},
		{
			name: "all-day events are days in the configured zone",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:offsite@x",
				"DTSTART;VALUE=DATE:20260302",
				"DTEND;VALUE=DATE:20260304",
				"SUMMARY:Offsite",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:sunday@x",
				"DTSTART;VALUE=DATE:20260308", // the day clocks go forward
				"END:VEVENT",
			),
			opts: &Options{From: year2026.From, To: year2026.To, Zone: newYork},
			want: []string{
				`2026-03-02 00:00 -05:00 48h0m0s offsite@x all-day "Offsite"`,
				`2026-03-08 00:00 -05:00 23h0m0s sunday@x all-day ""`,
			},
		},
		{
			name: "a cancelled instance is returned flagged, the rest of the series not",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:s@x",
				"DTSTART:20260302T100000Z",
				"DTEND:20260302T110000Z",
				"RRULE:FREQ=DAILY;COUNT=3",
				"STATUS:confirmed",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:s@x",
				"RECURRENCE-ID:20260303T100000Z",
				"DTSTART:20260303T100000Z",
				"DTEND:20260303T110000Z",
				"STATUS:CANCELLED",
				"SEQUENCE:1",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 1h0m0s s@x@03-02T10:00 CONFIRMED ""`,
				`2026-03-03 10:00 +00:00 1h0m0s s@x@03-03T10:00 CANCELLED ""`,
				`2026-03-04 10:00 +00:00 1h0m0s s@x@03-04T10:00 CONFIRMED ""`,
			},
		},
		{
			name: "attendees: emails lower case without mailto, PARTSTAT upper case",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:a@x",
				"DTSTART:20260302T100000Z",
				"ORGANIZER;CN=Boss:MAILTO:Boss@Example.com",
				"ATTENDEE;PARTSTAT=declined;CN=Me:MailTo:Me@Example.COM",
				"ATTENDEE;RSVP=TRUE:mailto:partner@acme.com",
				"ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com",
				"ATTENDEE;EMAIL=room@example.com;PARTSTAT=ACCEPTED:urn:uuid:1234",
				"ATTENDEE:invalid:nomail",
				"END:VEVENT",
			),
			want: []string{`2026-03-02 10:00 +00:00 0s a@x ""`},
			check: func(t *testing.T, res Result) {
				m := res.Meetings[0]
				want := []model.Attendee{{Email: "me@example.com", PartStat: "DECLINED"}, {Email: "partner@acme.com", PartStat: "NEEDS-ACTION"}, {Email: "room@example.com", PartStat: "ACCEPTED"}}
				if fmt.Sprint(m.Attendees) != fmt.Sprint(want) {
					t.Errorf("attendees %v, want %v", m.Attendees, want)
				}
				if m.Organizer != "boss@example.com" {
					t.Errorf("organizer %q", m.Organizer)
				}
				if !m.DeclinedBy("ME@example.com") || m.DeclinedBy("partner@acme.com") {
					t.Errorf("DeclinedBy wrong for %v", m.Attendees)
				}
			},
		},
		{
			name: "transparent and free events are flagged",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:t@x",
				"DTSTART:20260302T100000Z",
				"TRANSP:transparent",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:o@x",
				"DTSTART:20260302T110000Z",
				"TRANSP:OPAQUE",
				"X-MICROSOFT-CDO-BUSYSTATUS:FREE",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:ms@x",
				"DTSTART:20260302T120000Z",
				"X-MICROSOFT-CDO-BUSYSTATUS:FREE",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 0s t@x free ""`,
				`2026-03-02 11:00 +00:00 0s o@x ""`,
				`2026-03-02 12:00 +00:00 0s ms@x free ""`,
			},
		},
		{
			name: "the same UID twice: the higher SEQUENCE wins, wherever it stands",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:d@x",
				"SEQUENCE:2",
				"DTSTART:20260302T110000Z",
				"SUMMARY:new",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:d@x",
				"SEQUENCE:1",
				"DTSTART:20260302T100000Z",
				"SUMMARY:old",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:e@x",
				"DTSTART:20260303T100000Z",
				"SUMMARY:old",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:e@x",
				"SEQUENCE:3",
				"DTSTART:20260303T120000Z",
				"SUMMARY:new",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 11:00 +00:00 0s d@x "new"`,
				`2026-03-03 12:00 +00:00 0s e@x "new"`,
			},
		},
		{
			name: "an override before its master still replaces the instance",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:g@x",
				"RECURRENCE-ID;TZID=America/Denver:20260211T100000",
				"DTSTART;TZID=America/Denver:20260211T103000",
				"SUMMARY:moved",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:g@x",
				"DTSTART;TZID=America/Denver:20260210T100000",
				"DTEND;TZID=America/Denver:20260210T103000",
				"RRULE:FREQ=DAILY;COUNT=3",
				"SUMMARY:daily",
				"END:VEVENT",
			),
			want: []string{
				`2026-02-10 10:00 -07:00 30m0s g@x@02-10T10:00 "daily"`,
				`2026-02-11 10:30 -07:00 30m0s g@x@02-11T10:00 "moved"`, // its length from the series
				`2026-02-12 10:00 -07:00 30m0s g@x@02-12T10:00 "daily"`,
			},
		},
		{
			name: "an override whose series is not in the file is kept as a single meeting",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:orphan@x",
				"RECURRENCE-ID:20260304T090000Z",
				"DTSTART:20260304T093000Z",
				"DTEND:20260304T100000Z",
				"SUMMARY:one of a series",
				"END:VEVENT",
			),
			want: []string{`2026-03-04 09:30 +00:00 30m0s orphan@x@03-04T09:00 "one of a series"`},
		},
		{
			name: "folded lines are unfolded, and warnings name their first line",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:fold@x",
				"DTSTART:20260302T100000Z",
				"SUMMARY:Quarterly business re",
				" view with\t",
				"\tAcme",
				"ATTENDEE;PARTSTAT=ACCEPTED:mai",
				" lto:someone@acme.c",
				" om",
				"DTEND:2026030",
				" 2T25",
				"END:VEVENT",
			),
			want:  []string{`2026-03-02 10:00 +00:00 0s fold@x "Quarterly business review with Acme"`},
			warns: []string{`line 13: DTEND "20260302T25" is not a date or date-time`},
			check: func(t *testing.T, res Result) {
				if a := res.Meetings[0].Attendees; len(a) != 1 || a[0].Email != "someone@acme.com" {
					t.Errorf("attendees %v", a)
				}
			},
		},
		{
			name: "a byte-order mark and CR-only line ends",
			data: "\uFEFF" + strings.ReplaceAll(vcal(
				"BEGIN:VEVENT",
				"UID:cr@x",
				"DTSTART:20260302T100000Z",
				"SUMMARY:old Mac",
				"END:VEVENT",
			), "\r\n", "\r"),
			want: []string{`2026-03-02 10:00 +00:00 0s cr@x "old Mac"`},
		},
		{
			name: "LF-only line ends",
			data: strings.ReplaceAll(vcal(
				"BEGIN:VEVENT",
				"UID:lf@x",
				"DTSTART:20260302T100000Z",
				"END:VEVENT",
			), "\r\n", "\n"),
			want: []string{`2026-03-02 10:00 +00:00 0s lf@x ""`},
		},
		{
			name: "two VCALENDARs back to back, each with its own zones",
			data: vcal(
				"BEGIN:VTIMEZONE",
				"TZID:Office",
				"BEGIN:STANDARD",
				"DTSTART:19700101T000000",
				"TZOFFSETFROM:+0300",
				"TZOFFSETTO:+0300",
				"END:STANDARD",
				"END:VTIMEZONE",
				"BEGIN:VEVENT",
				"UID:one@x",
				"DTSTART;TZID=Office:20260302T100000",
				"END:VEVENT",
			) + "\uFEFF" + vcal(
				"METHOD:PUBLISH",
				"BEGIN:VTIMEZONE",
				"TZID:Office",
				"BEGIN:STANDARD",
				"DTSTART:19700101T000000",
				"TZOFFSETFROM:+0400",
				"TZOFFSETTO:+0400",
				"END:STANDARD",
				"END:VTIMEZONE",
				"BEGIN:VEVENT",
				"UID:two@x",
				"DTSTART;TZID=Office:20260302T100000",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +04:00 0s two@x ""`,
				`2026-03-02 10:00 +03:00 0s one@x ""`,
			},
		},
		{
			name: "calendars joined without a newline between them",
			data: strings.TrimSuffix(vcal("BEGIN:VEVENT", "UID:a@x", "DTSTART:20260302T100000Z", "END:VEVENT"), "\r\n") +
				vcal("BEGIN:VEVENT", "UID:b@x", "DTSTART:20260303T100000Z", "END:VEVENT"),
			want: []string{
				`2026-03-02 10:00 +00:00 0s a@x ""`,
				`2026-03-03 10:00 +00:00 0s b@x ""`,
			},
		},
		{
			name: "garbage lines and broken events are skipped with their line",
			data: vcal(
				"this is not a property",
				"BEGIN:VEVENT",
				"UID:ok@x",
				"DTSTART:20260302T100000Z",
				"X-GARBAGE",
				": no name",
				"SUMMARY:still here",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:bad-start@x",
				"DTSTART:tomorrow",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:never-ends@x",
				"DTSTART:20260304T100000Z",
				"BEGIN:VEVENT",
				"UID:after@x",
				"DTSTART:20260305T100000Z",
				"END:VEVENT",
				"END:NOTHING",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 0s ok@x "still here"`,
				`2026-03-05 10:00 +00:00 0s after@x ""`,
			},
			warns: []string{
				`line 4: line skipped: no colon between the name and the value: "this is not a property"`,
				`line 8: line skipped: no colon between the name and the value: "X-GARBAGE"`,
				`line 9: line skipped: not a property`,
				`line 14: DTSTART "tomorrow" is not a date or date-time`,
				`line 12: event has no DTSTART; skipped`,
				`line 16: BEGIN:VEVENT has no END before BEGIN:VEVENT; skipped`,
				`line 23: END:NOTHING without a BEGIN`,
			},
		},
		{
			name: "RRULE parts that are unknown or out of range are dropped with a warning",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:rr@x",
				"DTSTART:20260302T100000Z",
				"RRULE:FREQ=DAILY;X-NAME=1;BYEASTER=0;BYHOUR=10,99;COUNT=2;COUNT=9",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 0s rr@x@03-02T10:00 ""`,
				`2026-03-03 10:00 +00:00 0s rr@x@03-03T10:00 ""`,
			},
			warns: []string{
				"line 7: RRULE part X-NAME is not supported; dropped",
				"line 7: RRULE part BYEASTER is not supported; dropped",
				`line 7: RRULE BYHOUR item "99" is out of range; dropped`,
				"line 7: RRULE part COUNT given twice",
			},
		},
		{
			name: "a rule left without a valid BY item is read as a single occurrence",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:md@x",
				"DTSTART:20260302T100000Z",
				"RRULE:FREQ=MONTHLY;BYMONTHDAY=32",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:nth@x",
				"DTSTART:20260302T110000Z",
				"RRULE:FREQ=MONTHLY;BYDAY=10FR;COUNT=3",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 0s md@x@03-02T10:00 ""`,
				`2026-03-02 11:00 +00:00 0s nth@x@03-02T11:00 ""`,
			},
			warns: []string{
				`line 7: RRULE BYMONTHDAY item "32" is out of range; dropped`,
				"line 7: RRULE BYMONTHDAY has no valid item left; read as a single occurrence",
				"line 12: RRULE BYDAY +10FR: no month has that many; dropped",
				"line 12: RRULE BYDAY has no valid item left",
			},
		},
		{
			name: "absurd lengths are ignored",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:long@x",
				"DTSTART:20260302T100000Z",
				"DURATION:P999999999W",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:longer@x",
				"DTSTART:20260302T110000Z",
				"DTEND:99991231T000000Z",
				"RRULE:FREQ=YEARLY",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 0s long@x ""`,
				`2026-03-02 11:00 +00:00 0s longer@x@03-02T11:00 ""`,
			},
			warns: []string{
				`line 7: DURATION "P999999999W": longer than a century; ignored`,
				"line 12: DTEND is more than a century after DTSTART; ignored",
			},
		},
		{
			name: "EXDATE as dates, with a TZID, and in UTC",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:ex@x",
				"DTSTART;TZID=Europe/Berlin:20260302T230000",
				"RRULE:FREQ=DAILY;COUNT=5",
				"EXDATE;VALUE=DATE:20260303",                   // the whole local day
				"EXDATE;TZID=America/New_York:20260304T170000", // the same instant as 23:00 Berlin
				"EXDATE:20260305T220000Z",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 23:00 +01:00 0s ex@x@03-02T23:00 ""`,
				`2026-03-06 23:00 +01:00 0s ex@x@03-06T23:00 ""`,
			},
		},
		{
			name: "TZIDs: any case, vendor prefixes, unknown names",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:ci@x",
				"DTSTART;TZID=europe/berlin:20260302T100000",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:moz@x",
				"DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20260302T100000",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:unknown@x",
				"DTSTART;TZID=Mars/Olympus_Mons:20260302T100000",
				"END:VEVENT",
			),
			opts: &Options{From: year2026.From, To: year2026.To, Zone: berlin},
			want: []string{
				`2026-03-02 10:00 +01:00 0s ci@x ""`,
				`2026-03-02 10:00 +01:00 0s unknown@x ""`,
				`2026-03-02 10:00 -05:00 0s moz@x ""`,
			},
			warns: []string{`line 14: TZID "Mars/Olympus_Mons" is not a known zone and has no VTIMEZONE; read in Europe/Berlin`},
		},
		{
			name: "summaries are unescaped and made safe for a terminal",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:esc@x",
				"DTSTART:20260302T100000Z",
				`SUMMARY:Acme\, Inc.\; QBR\nday two \: \\ \x1b[31mred\x1b[0m`,
				"END:VEVENT",
			),
			want: []string{`2026-03-02 10:00 +00:00 0s esc@x "Acme, Inc.; QBR day two : \\ x1b[31mredx1b[0m"`},
		},
		{
			name: "control characters never reach the summary",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:ctl@x",
				"DTSTART:20260302T100000Z",
				"SUMMARY:Acme \x1b]0;pwned\x07call\u202e",
				"END:VEVENT",
			),
			want: []string{`2026-03-02 10:00 +00:00 0s ctl@x "Acme call"`},
		},
		{
			name: "iTIP: CANCEL without a start cancels the series, ADD adds an occurrence, REPLY answers",
			data: vcal(
				"METHOD:REQUEST",
				"BEGIN:VEVENT",
				"UID:it@x",
				"SEQUENCE:0",
				"DTSTART:20260302T100000Z",
				"ATTENDEE:mailto:b@x",
				"END:VEVENT",
			) + vcal(
				"METHOD:REPLY",
				"BEGIN:VEVENT",
				"UID:it@x",
				"ATTENDEE;PARTSTAT=DECLINED:mailto:b@x",
				"END:VEVENT",
			) + vcal(
				"METHOD:ADD",
				"BEGIN:VEVENT",
				"UID:it@x",
				"DTSTART:20260309T100000Z",
				"END:VEVENT",
			) + vcal(
				"METHOD:REQUEST",
				"BEGIN:VEVENT",
				"UID:cx@x",
				"DTSTART:20260302T110000Z",
				"END:VEVENT",
			) + vcal(
				"METHOD:CANCEL",
				"BEGIN:VEVENT",
				"UID:cx@x",
				"SEQUENCE:1",
				"END:VEVENT",
			),
			want: []string{
				`2026-03-02 10:00 +00:00 0s it@x ""`,
				`2026-03-02 11:00 +00:00 0s cx@x CANCELLED ""`,
				`2026-03-09 10:00 +00:00 0s it@x@03-09T10:00 ""`,
			},
			check: func(t *testing.T, res Result) {
				if !res.Meetings[0].DeclinedBy("b@x") {
					t.Errorf("the REPLY's DECLINED was not applied: %v", res.Meetings[0].Attendees)
				}
			},
		},
		{
			name: "expansion is bounded by the window",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:forever@x",
				"DTSTART:19000101T090000Z",
				"DURATION:PT1H",
				"RRULE:FREQ=DAILY",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:never@x",
				"DTSTART:20000101T090000Z",
				"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
				"END:VEVENT",
				"BEGIN:VEVENT",
				"UID:hourly@x",
				"DTSTART:20000101T090000Z",
				"RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=10",
				"END:VEVENT",
			),
			opts: &Options{From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)},
			want: []string{
				`2026-03-02 09:00 +00:00 1h0m0s forever@x@03-02T09:00 ""`,
				`2026-03-03 09:00 +00:00 1h0m0s forever@x@03-03T09:00 ""`,
			},
			warns: []string{"line 13: RRULE matches no date", "line 18: RRULE never reaches its BYHOUR"},
		},
		{
			name:  "events outside any VCALENDAR are read with a warning",
			data:  "BEGIN:VEVENT\r\nUID:bare@x\r\nDTSTART:20260302T100000Z\r\nEND:VEVENT\r\n",
			want:  []string{`2026-03-02 10:00 +00:00 0s bare@x ""`},
			warns: []string{"line 1: events outside any VCALENDAR"},
		},
		{
			name: "Outlook's value inside a quoted TZID is repaired",
			data: vcal(
				"BEGIN:VEVENT",
				"UID:q@x",
				`DTSTART;TZID="W. Europe Standard Time:20260609T090000"`,
				"END:VEVENT",
			),
			want:  []string{`2026-06-09 09:00 +02:00 0s q@x ""`},
			warns: []string{`line 6: DTSTART: the value was inside a quoted parameter; read as "20260609T090000"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := year2026
			if tt.opts != nil {
				opts = *tt.opts
			}
			res, err := Parse("test.ics", []byte(tt.data), opts)
			if err != nil {
				t.Fatal(err)
			}
			got := renderAll(res.Meetings)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("meetings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, w := range tt.warns {
				if !hasWarning(res.Warnings, w) {
					t.Errorf("no warning %q in:\n%s", w, warningList(res.Warnings))
				}
			}
			if tt.warns == nil && len(res.Warnings) > 0 {
				t.Errorf("unexpected warnings:\n%s", warningList(res.Warnings))
			}
			if tt.check != nil && len(res.Meetings) > 0 {
				tt.check(t, res)
			}
		})
	}
}

func hasWarning(ws []Warning, prefix string) bool {
	for _, w := range ws {
		if strings.HasPrefix(w.String(), prefix) {
			return true
		}
	}
	return false
}

func warningList(ws []Warning) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

func TestNotACalendar(t *testing.T) {
	tests := []struct{ name, data, reason string }{
		{"empty", "", "the file is empty"},
		{"blank", " \r\n\r\n", "the file is empty"},
		{"html", "<!DOCTYPE html>\n<html><body>Sign in</body></html>", "it is an HTML page"},
		{"csv", "name,id,track\nAcme,acme,reseller\n", `no BEGIN:VCALENDAR line (it starts with "name,id,track")`},
		{"binary", "\x00\x01\x02BEGIN", "the file is binary"},
		{"vcard", "BEGIN:VCARD\r\nFN:Someone\r\nEND:VCARD\r\n", `no BEGIN:VCALENDAR line (it starts with "BEGIN:VCARD")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("cal.ics", []byte(tt.data), year2026)
			if !errors.Is(err, ErrNotCalendar) {
				t.Fatalf("err = %v, want ErrNotCalendar", err)
			}
			if want := "cal.ics: not an iCalendar file: " + tt.reason; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q, want it to start with %q", err, want)
			}
		})
	}
}

func TestEmptyCalendarIsNotAnError(t *testing.T) {
	res, err := Parse("empty.ics", []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), year2026)
	if err != nil || len(res.Meetings) != 0 || len(res.Warnings) != 0 {
		t.Fatalf("got %v, %v", res, err)
	}
}

func TestWindowMustBeOrdered(t *testing.T) {
	if _, err := Parse("x.ics", []byte(vcal()), Options{}); err == nil {
		t.Fatal("a zero window must be an error")
	}
}

func TestUTF16(t *testing.T) {
	s := vcal("BEGIN:VEVENT", "UID:u16@x", "DTSTART:20260302T100000Z", "SUMMARY:Zoë", "END:VEVENT")
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	res, err := Parse("u16.ics", b, year2026)
	if err != nil || len(res.Meetings) != 1 || res.Meetings[0].Summary != "Zoë" {
		t.Fatalf("got %v, %v", renderAll(res.Meetings), err)
	}
}

func TestWarningString(t *testing.T) {
	if got := (Warning{Line: 42, Msg: "x"}).String(); got != "line 42: x" {
		t.Errorf("got %q", got)
	}
	if got := (Warning{Msg: "x"}).String(); got != "x" {
		t.Errorf("got %q", got)
	}
}
