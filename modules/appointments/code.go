package appointments

import (
	"crypto/rand"
	"math/big"
)

// codeAlphabet leaves out what is misread aloud or on paper: 0/O, 1/I/L.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode is a booking code the citizen reads out at the desk, "K7F-3QX". It
// names the appointment, it opens nothing: the personal link does that.
func newCode() string {
	b := make([]byte, 7)
	max := big.NewInt(int64(len(codeAlphabet)))
	for i := range b {
		if i == 3 {
			b[i] = '-'
			continue
		}
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // the system's randomness source is broken
		}
		b[i] = codeAlphabet[n.Int64()]
	}
	return string(b)
}
