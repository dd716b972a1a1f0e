package catalog

import (
	"slices"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// runeRanges is a sorted list of inclusive code point ranges.
type runeRanges [][2]rune

func (rs runeRanges) contains(r rune) bool {
	_, found := slices.BinarySearchFunc(rs, r, func(rg [2]rune, r rune) int {
		switch {
		case rg[1] < r:
			return -1
		case rg[0] > r:
			return 1
		}
		return 0
	})
	return found
}

// saslprep prepares a password for SCRAM the way PostgreSQL does (src/common/saslprep.c):
// SASLprep (RFC 4013) when the password is valid for it, and the password's bytes unchanged
// when it is not. The fallback is PostgreSQL's, not the RFC's: it lets any password work, and
// libpq applies the same rule on the client side, so both ends derive the same key.
//
// Two details follow PostgreSQL rather than the RFC's letter, because matching the server and
// libpq is what makes a verifier usable: a pure-ASCII password is returned as it is (control
// characters included), and the prohibited and bidirectional checks look at the mapped string
// before normalization.
func saslprep(password string) string {
	if isASCII(password) || !utf8.ValidString(password) {
		return password
	}
	// Step 1, map: non-ASCII spaces become U+0020, "commonly mapped to nothing" characters go.
	mapped := make([]rune, 0, len(password))
	for _, r := range password {
		switch {
		case saslprepNonASCIISpace.contains(r):
			mapped = append(mapped, ' ')
		case saslprepMappedToNothing.contains(r):
		default:
			mapped = append(mapped, r)
		}
	}
	if len(mapped) == 0 {
		return password // PostgreSQL does not allow a password that maps to nothing.
	}
	// Steps 3 and 4, prohibit and check bidi, on the mapped runes (see above).
	randAL := false
	for _, r := range mapped {
		if saslprepProhibited.contains(r) || saslprepUnassigned.contains(r) {
			return password
		}
		randAL = randAL || saslprepRandALCat.contains(r)
	}
	if randAL {
		for _, r := range mapped {
			if saslprepLCat.contains(r) {
				return password
			}
		}
		if !saslprepRandALCat.contains(mapped[0]) || !saslprepRandALCat.contains(mapped[len(mapped)-1]) {
			return password
		}
	}
	// Step 2, normalize with NFKC. Go's tables are of a newer Unicode than 3.2, and so are
	// PostgreSQL's own (it does not freeze normalization at 3.2 either), and every code point
	// left here was assigned in 3.2, whose normalization Unicode keeps stable.
	return norm.NFKC.String(string(mapped))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
