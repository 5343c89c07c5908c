package ui

import (
	"charm.land/bubbles/v2/help"
	"github.com/charmbracelet/x/ansi"
)

// footer is the bottom: a status message when there is one, and the help
// of the active screen (one line, or every key with ?).
type footer struct {
	c      *common
	help   help.Model
	status string
	isErr  bool
	width  int
}

func newFooter(c *common) footer {
	h := help.New()
	h.Styles = c.styles.Help
	return footer{c: c, help: h}
}

func (f *footer) setWidth(w int) {
	f.width = w
	f.help.SetWidth(w)
	f.help.Styles = f.c.styles.Help
}

// height is the footer's lines for these keys.
func (f *footer) height(keys help.KeyMap) int {
	if !f.help.ShowAll {
		return 1
	}
	return max(1, len(splitLines(f.help.View(keys))))
}

func (f *footer) view(keys help.KeyMap) string {
	st := f.c.styles
	if f.help.ShowAll {
		return f.help.View(keys)
	}
	if f.status == "" {
		return f.help.View(keys)
	}
	s := st.Status
	if f.isErr {
		s = st.StatusError
	}
	msg := s.Render(clip(f.status, max(10, f.width*2/3)))
	used := ansi.StringWidth(msg) + 3
	if f.width-used < 10 {
		return clip(msg, f.width)
	}
	h := f.help
	h.SetWidth(f.width - used)
	return msg + "   " + h.View(keys)
}
