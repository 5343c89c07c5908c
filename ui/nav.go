package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// navDelta is how far a navigation key moves in a list or a scrolled view
// showing page rows of total: ±1 for up and down, a page, half a page, or
// all the way for top and bottom (the callers clamp). ok is false for any
// other key, which the screen handles itself.
func navDelta(k *KeyMap, msg tea.KeyPressMsg, page, total int) (n int, ok bool) {
	page = max(1, page)
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.HalfPageUp):
		return -max(1, page/2), true
	case key.Matches(msg, k.HalfPageDown):
		return max(1, page/2), true
	case key.Matches(msg, k.Top):
		return -total, true
	case key.Matches(msg, k.Bottom):
		return total, true
	}
	return 0, false
}

// wheelDelta is how far a mouse wheel event scrolls: ±wheelStep, or 0 for
// a sideways wheel.
func wheelDelta(msg tea.MouseWheelMsg) int {
	switch msg.Button {
	case tea.MouseWheelUp:
		return -wheelStep
	case tea.MouseWheelDown:
		return wheelStep
	}
	return 0
}
