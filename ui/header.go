package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// header is the top line: the program, the period and the store.
type header struct {
	c       *common
	program string
	period  string
	store   string // shortened with ~
	width   int
}

func (h *header) view() string {
	st := h.c.styles
	left := st.Program.Render(clip(h.program, max(10, h.width/2)))
	if h.period != "" {
		left += st.Muted.Render(" · ") + st.Period.Render(h.period)
	}
	room := h.width - ansi.StringWidth(left) - 3
	if h.store == "" || room < 8 {
		return clip(left, h.width)
	}
	return spread(left, st.StorePath.Render(clipLeft(h.store, room)), h.width)
}

// tabs is the tab bar of the screens that exist.
type tabs struct {
	c      *common
	titles []string
	active int
	width  int
}

func (t *tabs) view() string {
	st := t.c.styles
	var b strings.Builder
	for i, title := range t.titles {
		label := " " + string(rune('1'+i)) + " " + title + " "
		if i == t.active {
			if t.c.noColor {
				label = "[" + string(rune('1'+i)) + " " + title + "]"
			}
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.Tab.Render(label))
		}
		b.WriteByte(' ')
	}
	used := ansi.StringWidth(b.String())
	if used < t.width {
		b.WriteString(st.TabRule.Render(strings.Repeat("─", t.width-used)))
	}
	return clip(b.String(), t.width)
}
