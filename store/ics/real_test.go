package ics

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// wide is the window for the real files: everything in them.
var wide = Options{
	From: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
	To:   time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	Zone: time.UTC,
}

// TestRealFiles parses every export in testdata/real (see SOURCES.md
// there): each parses, or fails with a clear not-a-calendar error, and what
// it returns is well formed.
func TestRealFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/real/*.ics")
	if err != nil || len(files) < 13 {
		t.Fatalf("real files: %v, %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(filepath.Base(f), data, wide)
			if err != nil {
				if !errors.Is(err, ErrNotCalendar) || !strings.HasPrefix(err.Error(), filepath.Base(f)+": not an iCalendar file: ") {
					t.Fatalf("unclear error: %v", err)
				}
				return
			}
			checkResult(t, data, res, wide)
		})
	}
}

// checkResult holds for every parse: warnings name lines that exist, text
// is clean, meetings lie in the window and end after they start.
func checkResult(t *testing.T, data []byte, res Result, opts Options) {
	t.Helper()
	lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
	for _, w := range res.Warnings {
		if w.Line < 0 || w.Line > lines || w.Msg == "" || !safetext.IsClean(w.Msg) {
			t.Fatalf("bad warning %#v (file has at most %d lines)", w, lines)
		}
	}
	for i, m := range res.Meetings {
		if m.UID == "" || !safetext.IsClean(m.UID) || !safetext.IsClean(m.Summary) || !safetext.IsClean(m.Organizer) {
			t.Fatalf("unclean meeting %#v", m)
		}
		if m.End.Before(m.Start) || !m.Start.Before(opts.To) || m.End.Before(opts.From) {
			t.Fatalf("meeting outside the window or inverted: %s", render(m))
		}
		if m.Status != strings.ToUpper(m.Status) {
			t.Fatalf("status not upper case: %q", m.Status)
		}
		for _, a := range m.Attendees {
			if a.Email != strings.ToLower(a.Email) || !strings.Contains(a.Email, "@") || !safetext.IsClean(a.Email) || a.PartStat == "" {
				t.Fatalf("bad attendee %#v", a)
			}
		}
		if i > 0 && m.Start.Before(res.Meetings[i-1].Start) {
			t.Fatalf("meetings not sorted at %d", i)
		}
	}
	seen := map[string]bool{}
	for _, m := range res.Meetings {
		if seen[m.Key()] {
			t.Fatalf("key %s twice", m.Key())
		}
		seen[m.Key()] = true
	}
}

func parseReal(t *testing.T, file string, opts Options) Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/real", file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(file, data, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byUID(ms []model.Meeting, uid string) []model.Meeting {
	var out []model.Meeting
	for _, m := range ms {
		if m.UID == uid {
			out = append(out, m)
		}
	}
	return out
}

func window(from, to time.Time) Options {
	return Options{From: from, To: to, Zone: time.UTC}
}

// TestRealFacts asserts what each real file says beyond parsing.
func TestRealFacts(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

	t.Run("issue_62: the moved instance replaces, not adds", func(t *testing.T) {
		const uid = "38m812jicsrer5gorh3mlp7qhc@google.com"
		res := parseReal(t, "issue_62_moved_event.ics", window(day(2021, 11, 1), day(2022, 3, 1)))
		want := []string{
			`2021-11-26 21:30 +01:00 0s ` + uid + `@11-26T21:30 CONFIRMED free "Karaoke"`,
			`2021-12-17 21:30 +01:00 0s ` + uid + `@12-31T21:30 CONFIRMED free "Karaoke"`,
			`2022-01-28 21:30 +01:00 0s ` + uid + `@01-28T21:30 CONFIRMED free "Karaoke"`,
			`2022-02-25 21:30 +01:00 0s ` + uid + `@02-25T21:30 CONFIRMED free "Karaoke"`,
		}
		if got := renderAll(res.Meetings); !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Over the wide window: one a month from November 2021, still.
		if n := len(byUID(parseReal(t, "issue_62_moved_event.ics", wide).Meetings, uid)); n != 2+18*12 {
			t.Errorf("%d occurrences, want %d", n, 2+18*12)
		}
	})

	t.Run("issue_20: the EXDATE list is honoured", func(t *testing.T) {
		res := parseReal(t, "issue_20_exdate_ignored.ics", wide)
		var got []string
		for _, m := range res.Meetings {
			got = append(got, m.Start.Format("2006-01-02 15:04 -07:00")+" "+m.End.Sub(m.Start).String())
		}
		want := []string{
			"2019-10-29 16:15 +01:00 1h30m0s", "2019-11-12 16:15 +01:00 1h30m0s",
			"2019-12-10 16:15 +01:00 1h30m0s", "2020-01-07 16:15 +01:00 1h30m0s",
			"2020-01-14 16:15 +01:00 1h30m0s", "2020-01-21 16:15 +01:00 1h30m0s",
			"2020-01-28 16:15 +01:00 1h30m0s",
		}
		if !slices.Equal(got, want) {
			t.Errorf("got %q\nwant %q", got, want)
		}
	})

	t.Run("issue_18: the cancelled instance is flagged", func(t *testing.T) {
		res := parseReal(t, "issue_18_cancel_status.ics", wide)
		var got []string
		for _, m := range res.Meetings {
			got = append(got, m.Start.Format("01-02 15:04")+" "+m.Status)
		}
		if want := []string{"01-28 22:00 ", "01-29 22:00 CANCELLED", "01-30 22:00 "}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	t.Run("ms_timezones: Windows zones resolve to IANA", func(t *testing.T) {
		res := parseReal(t, "ms_timezones.ics", wide)
		zones := map[string]string{}
		for _, m := range res.Meetings {
			zones[m.Summary] = m.Start.Location().String()
		}
		for summary, zone := range map[string]string{
			"test":                          "Europe/Berlin",
			"Log Yesterday's Jira time":     "Europe/Berlin",
			"Not the actual summary 1":      "America/Los_Angeles",
			"Not the actual summary either": "America/Los_Angeles",
		} {
			if zones[summary] != zone {
				t.Errorf("%q in %q, want %q", summary, zones[summary], zone)
			}
		}
		if !hasWarning(res.Warnings, `line 152: DTSTART: the value was inside a quoted parameter`) {
			t.Errorf("no warning for the quoted TZID line:\n%s", warningList(res.Warnings))
		}
		// The comma-separated EXDATE list with TZID=Pacific Standard Time.
		const series = "040000008200E00074C5B7101A82E00800000000C8CF296B9654D60100000000000000001000000031C6A267A9E4A2489CEB57D709E7A37F"
		var july []string
		for _, m := range byUID(res.Meetings, series) {
			if m.Start.Month() == time.July && m.Start.Year() == 2020 {
				july = append(july, m.Start.Format("Mon 02 15:04 -07:00"))
			}
			if !m.Transparent {
				t.Fatalf("TRANSP:TRANSPARENT lost: %s", render(m))
			}
		}
		want := []string{ // Tu, Th, Fr, Su from the 7th; the 21st, 23rd and 28th excluded
			"Tue 07 12:00 -07:00", "Thu 09 12:00 -07:00", "Fri 10 12:00 -07:00", "Sun 12 12:00 -07:00",
			"Tue 14 12:00 -07:00", "Thu 16 12:00 -07:00", "Fri 17 12:00 -07:00", "Sun 19 12:00 -07:00",
			"Fri 24 12:00 -07:00", "Sun 26 12:00 -07:00", "Thu 30 12:00 -07:00", "Fri 31 12:00 -07:00",
		}
		if !slices.Equal(july, want) {
			t.Errorf("July 2020:\n%q\nwant\n%q", july, want)
		}
		var jira []model.Meeting
		for _, m := range res.Meetings {
			if m.Summary == "Log Yesterday's Jira time" {
				jira = append(jira, m)
			}
		}
		if len(jira) == 0 || jira[len(jira)-1].Start.Format("2006-01-02 15:04 -07:00") != "2021-03-09 09:00 +01:00" {
			t.Errorf("the UNTIL=20210309T080000Z series should end on 2021-03-09 09:00 CET")
		}
	})

	t.Run("exchange-custom-tz: an Outlook display name resolves", func(t *testing.T) {
		res := parseReal(t, "exchange-custom-tz.ics", wide)
		if len(res.Meetings) != 1 {
			t.Fatalf("%d meetings", len(res.Meetings))
		}
		m := res.Meetings[0]
		if m.Start.Location().String() != "Asia/Bangkok" || !m.Start.Equal(time.Date(2019, 4, 30, 2, 0, 0, 0, time.UTC)) || m.End.Sub(m.Start) != 3*time.Hour {
			t.Errorf("got %s in %s", render(m), m.Start.Location())
		}
	})

	t.Run("bad_custom_ms_tz: an unknown TZID and a negative DURATION are warnings", func(t *testing.T) {
		berlinOpts := wide
		berlinOpts.Zone = berlin
		res := parseReal(t, "bad_custom_ms_tz.ics", berlinOpts)
		want := []string{
			`2021-03-25 10:35 +01:00 1h15m0s 1173422081SZR322 CONFIRMED "[private]"`,
			`2021-04-01 00:00 +02:00 24h0m0s *masked-away2*@google.com TENTATIVE all-day "*masked-away2*"`,
			`2021-04-01 19:30 +00:00 0s *masked-away*@google.com TENTATIVE "*masked-away*"`,
		}
		if got := renderAll(res.Meetings); !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, w := range []string{`line 6: TZID "tzone://Microsoft/Custom" is not a known zone and has no VTIMEZONE; read in Europe/Berlin`, `line 40: DURATION "-PT1W1D2H3M4S" is negative`} {
			if !hasWarning(res.Warnings, w) {
				t.Errorf("no warning %q in\n%s", w, warningList(res.Warnings))
			}
		}
	})

	t.Run("google-recurrence-order: an override before its master", func(t *testing.T) {
		res := parseReal(t, "google-recurrence-order.ics", wide)
		const uid = "aaaaaaaaaa888se1rr0b24sm4p@google.com"
		want := []string{
			`2026-02-10 10:00 -07:00 30m0s ` + uid + `@02-10T10:00 CONFIRMED "TEST RECURR 3"`,
			`2026-02-11 10:30 -07:00 30m0s ` + uid + `@02-11T10:00 CONFIRMED "TEST RECURR 3 - MODIFIED"`,
			`2026-02-12 10:00 -07:00 30m0s ` + uid + `@02-12T10:00 CONFIRMED "TEST RECURR 3"`,
		}
		if got := renderAll(res.Meetings); !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("issue_173: overrides whose master is missing are kept", func(t *testing.T) {
		res := parseReal(t, "issue_173_only_modifications_error.ics", wide)
		got := renderAll(byUID(res.Meetings, "0vk9kniplnk1em0fup8hnbmu3p@google.com"))
		if len(got) != 1 || !strings.HasPrefix(got[0], "2024-03-20 09:30 +01:00 ") || !strings.Contains(got[0], "@03-20T09:00") {
			t.Errorf("orphan override: %q", got)
		}
		if n := len(byUID(res.Meetings, "2pf9lju10s6lg6vs2hcfsriv0l@google.com")); n != 3 {
			t.Errorf("%d meetings from three orphan overrides", n)
		}
	})

	t.Run("daylight_saving_time: a weekly series keeps its wall clock across DST", func(t *testing.T) {
		res := parseReal(t, "daylight_saving_time.ics", window(day(2019, 3, 20), day(2019, 4, 10)))
		var got []string
		for _, m := range byUID(res.Meetings, "7g6502aejkun96i5fenfu6hvc1@google.com") {
			got = append(got, m.Start.Format("01-02 15:04 -07:00"))
		}
		if want := []string{"03-21 08:30 +01:00", "03-28 08:30 +01:00", "04-04 08:30 +02:00"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	t.Run("rfc2446: many VCALENDARs, iTIP cancels, a custom zone, DECLINED", func(t *testing.T) {
		data, err := os.ReadFile("testdata/real/rfc2446_libical.ics")
		if err != nil {
			t.Fatal(err)
		}
		res := parseReal(t, "rfc2446_libical.ics", window(day(1997, 1, 1), day(1998, 1, 1)))
		uids := map[string]bool{}
		for _, m := range res.Meetings {
			uids[m.UID] = true
		}
		if len(uids) < 8 {
			t.Errorf("meetings from %d UIDs, want the events of many calendars", len(uids))
		}
		var aug string
		for _, m := range byUID(res.Meetings, "guid-1@host1.com") {
			if m.Instance.Equal(time.Date(1997, 8, 1, 21, 0, 0, 0, time.UTC)) {
				aug = render(m)
			}
		}
		if aug != `1997-08-01 21:00 +00:00 1h0m0s guid-1@host1.com@08-01T21:00 CANCELLED "IETF Calendaring Working Group Meeting"` {
			t.Errorf("the CANCEL of one occurrence: %q", aug)
		}
		game := byUID(res.Meetings, "0981234-1234234-23@example.com")
		if len(game) != 1 || game[0].Start.Format("2006-01-02 15:04 -07:00") != "1997-07-02 16:00 -05:00" {
			t.Errorf("the America-Chicago VTIMEZONE event: %q", renderAll(game))
		}
		for _, w := range []string{"line 187: VCALENDAR with METHOD:COUNTER", "line 964: VCALENDAR with METHOD:REFRESH"} {
			if !hasWarning(res.Warnings, w) {
				t.Errorf("no warning %q", w)
			}
		}
		// A later SEQUENCE supersedes the REQUEST whose delegate declined;
		// read alone, that VCALENDAR keeps the answer.
		for _, cal := range strings.SplitAfter(string(data), "END:VCALENDAR") {
			if !strings.Contains(cal, "PARTSTAT=DECLINED") {
				continue
			}
			one, err := Parse("one.ics", []byte(cal), wide)
			if err != nil || len(one.Meetings) != 1 || !one.Meetings[0].DeclinedBy("e@example.com") {
				t.Errorf("DECLINED not read: %v %v", one.Meetings, err)
			}
		}
	})

	t.Run("tentative-apple-calendar: statuses and attendees", func(t *testing.T) {
		res := parseReal(t, "tentative-apple-calendar.ics", wide)
		var got []string
		for _, m := range res.Meetings {
			got = append(got, m.Summary+"="+m.Status)
		}
		if want := []string{"Tentative=TENTATIVE", "Confirmed=CONFIRMED", "Cancelled=CANCELLED", "No Status="}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		if a := res.Meetings[0].Attendees; len(a) != 1 || a[0] != (model.Attendee{Email: "tentative@example.com", PartStat: "TENTATIVE"}) {
			t.Errorf("attendees %v", a)
		}
	})

	t.Run("bom_calendar and issue_104: read, with a warning for the broken line", func(t *testing.T) {
		if res := parseReal(t, "bom_calendar.ics", wide); len(res.Meetings) != 0 || len(res.Warnings) != 0 {
			t.Errorf("bom_calendar: %v", res)
		}
		res := parseReal(t, "issue_104_broken_calendar.ics", wide)
		if len(res.Meetings) != 1 || res.Meetings[0].Summary != "Broken Eevnt" {
			t.Errorf("issue_104: %q", renderAll(res.Meetings))
		}
		if !hasWarning(res.Warnings, `line 13: line skipped: no colon between the name and the value: "X"`) {
			t.Errorf("issue_104 warnings:\n%s", warningList(res.Warnings))
		}
	})
}
