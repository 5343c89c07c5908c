package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Styles is every style the app renders with, built once by NewStyles (or
// PlainStyles when NO_COLOR is set) and rebuilt when the terminal reports
// its background colour. Render paths never build styles of their own.
type Styles struct {
	// Header and tabs.
	Program   lipgloss.Style
	Period    lipgloss.Style
	StorePath lipgloss.Style
	Tab       lipgloss.Style
	TabActive lipgloss.Style
	TabRule   lipgloss.Style

	// Partners list.
	FilterHint   lipgloss.Style
	FilterValue  lipgloss.Style
	Count        lipgloss.Style
	ColumnHeader lipgloss.Style
	Section      lipgloss.Style
	SectionMeta  lipgloss.Style
	Name         lipgloss.Style
	Cell         lipgloss.Style
	Muted        lipgloss.Style
	Selected     lipgloss.Style
	Up           lipgloss.Style
	Down         lipgloss.Style
	Trend        lipgloss.Style
	Empty        lipgloss.Style

	// Partner detail.
	Title      lipgloss.Style
	Label      lipgloss.Style
	Heading    lipgloss.Style
	Met        lipgloss.Style
	Missed     lipgloss.Style
	NotCounted lipgloss.Style
	Sentence   lipgloss.Style

	// Review: decision states, the progress bar, dialogs.
	Pending     lipgloss.Style
	Accepted    lipgloss.Style
	Overridden  lipgloss.Style
	Upward      lipgloss.Style
	BarFull     lipgloss.Style
	BarEmpty    lipgloss.Style
	BarPlanned  lipgloss.Style // the Calendar tab's planned shares
	Border      lipgloss.Style
	DialogTitle lipgloss.Style
	Field       lipgloss.Style // a dialog field's label
	FieldFocus  lipgloss.Style // the focused field's label
	Key         lipgloss.Style // a key named in running text

	// Health badges.
	BadgeError lipgloss.Style
	BadgeWarn  lipgloss.Style
	BadgeOK    lipgloss.Style

	// Footer, status and errors.
	Status      lipgloss.Style
	StatusError lipgloss.Style
	Error       lipgloss.Style
	Loading     lipgloss.Style

	Help  help.Styles
	Input textinput.Styles

	// paints are the list's styles reduced to escape codes, for the rows.
	paints paints
}

// paint is a style reduced to the escape codes around its text: drawing a
// list cell with it costs a concatenation, not a Style.Render.
type paint struct{ pre, post string }

func newPaint(s lipgloss.Style) paint {
	r := s.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+1:]}
}

func (p paint) draw(s string) string {
	if p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

type paints struct {
	name, cell, muted, trend, up, down, selected, section, sectionMeta paint
}

// withPaints fills the paints from the styles.
func (s Styles) withPaints() Styles {
	s.paints = paints{
		name: newPaint(s.Name), cell: newPaint(s.Cell), muted: newPaint(s.Muted),
		trend: newPaint(s.Trend), up: newPaint(s.Up), down: newPaint(s.Down),
		selected: newPaint(s.Selected), section: newPaint(s.Section), sectionMeta: newPaint(s.SectionMeta),
	}
	return s
}

// NewStyles builds the coloured styles for a dark or a light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		fg      = ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6E6E6"))
		muted   = ld(lipgloss.Color("#6E7781"), lipgloss.Color("#8B949E"))
		faint   = ld(lipgloss.Color("#AFB8C1"), lipgloss.Color("#484F58"))
		accent  = ld(lipgloss.Color("#6639BA"), lipgloss.Color("#B392F0"))
		good    = ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#56D364"))
		bad     = ld(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72"))
		warn    = ld(lipgloss.Color("#9A6700"), lipgloss.Color("#E3B341"))
		selBg   = ld(lipgloss.Color("#DDF4FF"), lipgloss.Color("#253041"))
		selFg   = ld(lipgloss.Color("#0A3069"), lipgloss.Color("#FFFFFF"))
		tabBg   = ld(lipgloss.Color("#6639BA"), lipgloss.Color("#6E40C9"))
		tabFg   = lipgloss.Color("#FFFFFF")
		section = ld(lipgloss.Color("#0550AE"), lipgloss.Color("#79C0FF"))
	)
	plain := lipgloss.NewStyle()
	s := Styles{
		Program:   plain.Bold(true).Foreground(fg),
		Period:    plain.Foreground(accent),
		StorePath: plain.Foreground(muted),
		Tab:       plain.Foreground(muted),
		TabActive: plain.Bold(true).Foreground(tabFg).Background(tabBg),
		TabRule:   plain.Foreground(faint),

		FilterHint:   plain.Foreground(muted),
		FilterValue:  plain.Bold(true).Foreground(accent),
		Count:        plain.Foreground(muted),
		ColumnHeader: plain.Foreground(muted).Underline(true),
		Section:      plain.Bold(true).Foreground(section),
		SectionMeta:  plain.Foreground(muted),
		Name:         plain.Foreground(fg),
		Cell:         plain.Foreground(fg),
		Muted:        plain.Foreground(muted),
		Selected:     plain.Bold(true).Foreground(selFg).Background(selBg),
		Up:           plain.Bold(true).Foreground(good),
		Down:         plain.Bold(true).Foreground(bad),
		Trend:        plain.Foreground(accent),
		Empty:        plain.Italic(true).Foreground(muted),

		Title:      plain.Bold(true).Foreground(fg),
		Label:      plain.Foreground(muted),
		Heading:    plain.Bold(true).Foreground(section),
		Met:        plain.Foreground(good),
		Missed:     plain.Foreground(bad),
		NotCounted: plain.Italic(true).Foreground(muted),
		Sentence:   plain.Foreground(fg),

		Pending:     plain.Foreground(warn),
		Accepted:    plain.Foreground(good),
		Overridden:  plain.Foreground(accent),
		Upward:      plain.Bold(true).Foreground(warn),
		BarFull:     plain.Foreground(good),
		BarEmpty:    plain.Foreground(faint),
		BarPlanned:  plain.Foreground(accent),
		Border:      plain.Foreground(accent),
		DialogTitle: plain.Bold(true).Foreground(accent),
		Field:       plain.Foreground(muted),
		FieldFocus:  plain.Bold(true).Foreground(accent),
		Key:         plain.Bold(true).Foreground(fg),

		BadgeError: plain.Bold(true).Foreground(tabFg).Background(bad),
		BadgeWarn:  plain.Bold(true).Foreground(lipgloss.Color("#1F2328")).Background(warn),
		BadgeOK:    plain.Bold(true).Foreground(good),

		Status:      plain.Foreground(good),
		StatusError: plain.Bold(true).Foreground(bad),
		Error:       plain.Bold(true).Foreground(bad),
		Loading:     plain.Foreground(warn),
	}
	s.Help = help.Styles{
		ShortKey:       plain.Foreground(fg),
		ShortDesc:      plain.Foreground(muted),
		ShortSeparator: plain.Foreground(faint),
		Ellipsis:       plain.Foreground(faint),
		FullKey:        plain.Foreground(fg),
		FullDesc:       plain.Foreground(muted),
		FullSeparator:  plain.Foreground(faint),
	}
	s.Input = textinput.Styles{
		Focused: textinput.StyleState{
			Prompt:      plain.Bold(true).Foreground(accent),
			Text:        plain.Foreground(fg),
			Placeholder: plain.Foreground(muted),
			Suggestion:  plain.Foreground(muted),
		},
		Blurred: textinput.StyleState{
			Prompt:      plain.Foreground(accent),
			Text:        plain.Bold(true).Foreground(accent),
			Placeholder: plain.Foreground(muted),
			Suggestion:  plain.Foreground(muted),
		},
		Cursor: textinput.CursorStyle{Color: accent, Shape: tea.CursorBar, Blink: true},
	}
	return s.withPaints()
}

// PlainStyles renders nothing but text: no colour, no bold, no escape code
// at all. It is what NO_COLOR gets. The selected row still shows, by the
// cursor mark at its start.
func PlainStyles() Styles {
	p := lipgloss.NewStyle()
	return Styles{
		Program: p, Period: p, StorePath: p, Tab: p, TabActive: p, TabRule: p,
		FilterHint: p, FilterValue: p, Count: p, ColumnHeader: p,
		Section: p, SectionMeta: p, Name: p, Cell: p, Muted: p, Selected: p,
		Up: p, Down: p, Trend: p, Empty: p,
		Title: p, Label: p, Heading: p, Met: p, Missed: p, NotCounted: p, Sentence: p,
		Pending: p, Accepted: p, Overridden: p, Upward: p, BarFull: p, BarEmpty: p, BarPlanned: p,
		Border: p, DialogTitle: p, Field: p, FieldFocus: p, Key: p,
		BadgeError: p, BadgeWarn: p, BadgeOK: p,
		Status: p, StatusError: p, Error: p, Loading: p,
		Help: help.Styles{
			ShortKey: p, ShortDesc: p, ShortSeparator: p, Ellipsis: p,
			FullKey: p, FullDesc: p, FullSeparator: p,
		},
		Input: textinput.Styles{
			Focused: textinput.StyleState{Prompt: p, Text: p, Placeholder: p, Suggestion: p},
			Blurred: textinput.StyleState{Prompt: p, Text: p, Placeholder: p, Suggestion: p},
			Cursor:  textinput.CursorStyle{Shape: tea.CursorBar, Blink: true},
		},
	}.withPaints()
}
