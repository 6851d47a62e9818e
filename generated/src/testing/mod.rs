//! A fake Feishu server on loopback, for tests of bots (in progress).
