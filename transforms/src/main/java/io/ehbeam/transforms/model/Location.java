package io.ehbeam.transforms.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;

/** A city of the location master: {@code {"elevation":..,"latitude":..,"longitude":..,"city":".."}}. */
@JsonPropertyOrder({"elevation", "latitude", "longitude", "city"})
public final class Location implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double EARTH_RADIUS_KM = 6371.0088;

  @JsonProperty public double elevation;
  @JsonProperty public double latitude;
  @JsonProperty public double longitude;
  @JsonProperty public String city;

  public Location() {}

  public Location(String city, double latitude, double longitude, double elevation) {
    this.city = city;
    this.latitude = latitude;
    this.longitude = longitude;
    this.elevation = elevation;
  }

  /** Great-circle distance (haversine) from this location to a point, in km. */
  public double distanceKm(double lat, double lon) {
    double dLat = Math.toRadians(lat - latitude);
    double dLon = Math.toRadians(lon - longitude);
    double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(Math.toRadians(latitude)) * Math.cos(Math.toRadians(lat)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  @Override
  public String toString() {
    return city + "(" + latitude + ", " + longitude + ")";
  }
}
