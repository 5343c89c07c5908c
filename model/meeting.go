package model

import (
	"strings"
	"time"
)

// Attendee is one person invited to a meeting, with their answer.
type Attendee struct {
	Email    string // lower case
	PartStat string // upper case: ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION
}

// Meeting is one occurrence of a calendar event: a single event, or one
// instance of a recurring series with overrides applied.
type Meeting struct {
	UID string
	// Instance is the start the series scheduled this occurrence for (its
	// RECURRENCE-ID); zero for an event that does not recur.
	Instance    time.Time
	Sequence    int
	Start, End  time.Time
	Summary     string
	Organizer   string // lower-case email
	Attendees   []Attendee
	Status      string // upper case: CONFIRMED, TENTATIVE, CANCELLED, or empty
	Transparent bool   // shown as free
	AllDay      bool
}

// Key identifies the occurrence across files: the same meeting exported
// twice counts once.
func (m Meeting) Key() string {
	if m.Instance.IsZero() {
		return m.UID
	}
	return m.UID + "@" + m.Instance.UTC().Format("20060102T150405Z")
}

// DeclinedBy reports whether the person with email declined the meeting.
func (m Meeting) DeclinedBy(email string) bool {
	for _, a := range m.Attendees {
		if strings.EqualFold(a.Email, email) {
			return a.PartStat == "DECLINED"
		}
	}
	return false
}
