// Package ics reads iCalendar files (RFC 5545) as Google, Outlook/Exchange,
// Apple and Fastmail export them, and returns the meetings in a time window
// as model.Meeting values: recurrences expanded, overrides applied, time
// zones resolved. Parse is the entry point.
//
// # Robustness
//
// A file that is not a calendar at all is the only error. Inside a
// calendar everything else is a Warning naming its line, and the rest of
// the file is still read: a byte-order mark (UTF-8 or UTF-16) is dropped,
// CRLF, CR and LF all end lines, lines folded with a space or a tab are
// unfolded, a malformed line or an event that never ends is skipped,
// VCALENDARs may follow each other in one file, and a panic while reading
// one event or series (in this package or a library) skips only that
// event. Recurrence expansion is bounded by the window, by caps on the
// occurrences a series and a file may generate, and by a time limit, so a
// hostile RRULE cannot make Parse run away. Summaries, UIDs, emails and
// warnings go through safetext.Clean.
//
// # Series
//
// Occurrences come from DTSTART, the RRULE (an unknown or invalid part is
// dropped with a warning; UNTIL without Z is read in the event's zone), and
// RDATEs (dates, date-times, periods), less the EXDATEs (comma lists, with
// TZID, or VALUE=DATE for a whole day). An override (RECURRENCE-ID)
// replaces the occurrence it names wherever it stands in the file, keeps
// the series' length, summary and attendees when it leaves them out, and
// is kept on its own when its series is not in the file. Per UID and
// occurrence the highest SEQUENCE wins (then the later LAST-MODIFIED, then
// the later in the file). iTIP messages are understood as far as a
// calendar needs: METHOD:CANCEL cancels, a CANCEL without DTSTART cancels
// the series it names, METHOD:ADD adds occurrences, METHOD:REPLY updates
// attendees' answers, and COUNTER, DECLINECOUNTER and REFRESH are skipped.
//
// # Time zones
//
// A TZID is resolved, in order, as an IANA name (time/tzdata is embedded),
// the same case-insensitively or behind a vendor prefix
// ("/mozilla.org/.../Europe/Berlin"), a Windows zone ID ("W. Europe
// Standard Time") or a Windows display name ("(UTC+07:00) Bangkok, Hanoi,
// Jakarta") through CLDR's windowsZones table (data/, with its source and
// license), the file's own VTIMEZONE (its STANDARD and DAYLIGHT rules become
// a real time.Location, daylight saving included), the UTC offset a
// display name carries, and last the configured zone, with a warning.
// Floating times and all-day dates are read in the configured zone.
//
// # Libraries
//
// Recurrence rules are expanded by github.com/teambition/rrule-go, a port
// of python-dateutil's rrule that covers all of RFC 5545's rule parts
// (BYSETPOS, BYWEEKNO, WKST, negative BYDAY ordinals) and follows the wall
// clock across daylight saving changes. It is well used and small. Its
// iterator has no step budget and trusts its input, so occurrences guards
// it (see there): it probes for rules that never match, restarts long
// series near the window, caps what a series and a file may generate, and
// keeps out the input it panics or loops forever on (a BYDAY ordinal beyond
// five in a month, found by the fuzzer; an HOURLY interval that never
// reaches its BYHOUR, found in its source). RRULE strings are read here, not by its StrToROption, so that an
// unknown part is dropped with a warning instead of failing the whole rule,
// and UNTIL is read in the event's zone. MINUTELY and SECONDLY rules are
// not expanded.
//
// The file itself is read by this package's own line scanner, not by
// github.com/emersion/go-ical, which the issue suggested. Tried on the real
// exports in testdata/real, go-ical's decoder is too strict for them: it
// aborts a whole file on its first malformed line (issue_104) and on a
// leading byte-order mark (bom_calendar), and it panics with an index out
// of range on Outlook's DTSTART;TZID="W. Europe Standard Time:2020..." line
// (ms_timezones) and on any parameter at the end of a line. It keeps no line
// numbers for warnings, its TEXT decoding rejects the \: escape Outlook
// writes, its DateTime knows IANA names only, its RecurrenceSet reads EXDATE
// where it means RDATE and ignores comma-separated lists, and its Duration
// turns nominal days into 24-hour periods. What would remain to use is two
// struct types, not worth a dependency; the scanner here is a few hundred
// lines and is fuzzed.
package ics
