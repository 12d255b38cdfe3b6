"""Flipchart's core: config, Matrix client and sync loop, command routing, storage, scheduler, rendering, i18n."""
