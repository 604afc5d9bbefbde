package dev.rill.server;

/** A service implementation that can describe itself; generated service bases implement it. */
public interface BindableService {
  ServiceDefinition bindService();
}
