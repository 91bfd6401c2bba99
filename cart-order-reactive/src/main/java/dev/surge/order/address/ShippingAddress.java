package dev.surge.order.address;

/**
 * Where an order goes, as checkout copies it onto the order: a later change or deletion of a saved
 * address never changes an order placed with it.
 *
 * @param recipientName who the parcel is for
 * @param line1 street and number
 * @param line2 flat, floor, c/o, or {@code null}
 * @param city city or town
 * @param region state, county or province, or {@code null}
 * @param postalCode postal code as entered
 * @param countryCode ISO 3166-1 alpha-2 code, upper case; decides tax and shipping
 * @param phone a phone number for the carrier, or {@code null}
 */
public record ShippingAddress(String recipientName, String line1, String line2, String city, String region,
        String postalCode, String countryCode, String phone) {

    static ShippingAddress of(Address address) {
        return new ShippingAddress(address.recipientName(), address.line1(), address.line2(), address.city(),
                address.region(), address.postalCode(), address.countryCode(), address.phone());
    }

    static ShippingAddress of(AddressForm form) {
        return new ShippingAddress(form.recipientName(), form.line1(), form.line2(), form.city(), form.region(),
                form.postalCode(), form.countryCode(), form.phone());
    }
}
