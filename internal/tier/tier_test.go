package tier

import "testing"

func TestRealFollowsTheEnvironment(t *testing.T) {
	cases := []struct {
		env  string
		want bool
	}{{"1", !testing.Short()}, {"", false}, {"0", false}, {"yes", false}}
	for _, tc := range cases {
		t.Run("env="+tc.env, func(t *testing.T) {
			t.Setenv(Env, tc.env)
			if got := Real(); got != tc.want {
				t.Fatalf("Real() = %v, want %v", got, tc.want)
			}
			ran := false
			t.Run("gate", func(t *testing.T) {
				RequireReal(t)
				ran = true
			})
			if ran != tc.want {
				t.Fatalf("RequireReal let the test run: %v, want %v", ran, tc.want)
			}
		})
	}
}
