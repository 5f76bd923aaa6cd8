package appointments

import (
	"crypto/rand"
	"math/big"
)

// codeAlphabet leaves out the letters and digits read out alike at a desk
// or over the phone (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode is a booking code such as "K7F-3QX": six random characters of
// codeAlphabet in two groups, short enough to read out. It opens nothing
// (the personal link does); the unique index on Appointment.Code refuses
// the rare repeat, and the caller draws again.
func newCode() string {
	b := make([]byte, 0, 7)
	n := big.NewInt(int64(len(codeAlphabet)))
	for i := 0; i < 6; i++ {
		if i == 3 {
			b = append(b, '-')
		}
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			panic("appointments: no randomness: " + err.Error())
		}
		b = append(b, codeAlphabet[k.Int64()])
	}
	return string(b)
}
