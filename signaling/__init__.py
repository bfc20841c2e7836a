"""Call signaling: WebRTC offers, answers and ICE relayed between officer and citizen."""
