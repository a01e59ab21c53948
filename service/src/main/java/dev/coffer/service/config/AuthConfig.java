package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Who may call the service: one admin bearer token until the access-control model arrives. */
public class AuthConfig {
  @NotNull
  @Size(min = 16, message = "must have at least 16 characters")
  @JsonProperty
  private String adminToken;

  public String adminToken() {
    return adminToken;
  }

  public void setAdminToken(String adminToken) {
    this.adminToken = adminToken;
  }

  @Override
  public String toString() {
    return "AuthConfig[adminToken=REDACTED]";
  }
}
