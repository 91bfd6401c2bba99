package dev.surge.order.address;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.service.web.Conflict;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import dev.surge.service.web.NotFound;
import dev.surge.service.web.Page;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signed-in shopper's saved addresses. The user id is always the token's subject.
 *
 * <p>A shopper with any address has exactly one default: the first address becomes it, making
 * another one the default takes the flag off the old one in the same transaction, and deleting
 * the default passes it to the most recently created address left. Every write takes the
 * shopper's address-book lock first, so concurrent requests of one shopper queue rather than race
 * (for the cap, the first default, or the default flag); the database's partial unique index is
 * the last guard.
 */
@Service
class AddressBook implements ShippingAddresses {

    private final R2dbcAddressRepository addresses;
    private final TransactionalOperator transactions;
    private final int maxPerUser;
    private final JsonMapper json;

    AddressBook(R2dbcAddressRepository addresses, TransactionalOperator transactions,
            AddressBookProperties properties, JsonMapper json) {
        this.addresses = addresses;
        this.transactions = transactions;
        this.maxPerUser = properties.maxPerUser();
        this.json = json;
    }

    @Override
    public Mono<ShippingAddress> saved(String userId, UUID id) {
        return find(userId, id)
                .map(ShippingAddress::of);
    }

    @Override
    public Mono<ShippingAddress> defaultFor(String userId) {
        return addresses.findAll(userId)
                .filter(Address::isDefault)
                .next()
                .map(ShippingAddress::of);
    }

    @Override
    public Mono<ShippingAddress> validate(Map<String, Object> fields, String fieldPrefix) {
        return Mono.fromCallable(() -> json.convertValue(fields, AddressForm.class))
                .onErrorMap(JacksonException.class, e -> new InvalidFields(List.of(
                        new FieldError(fieldPrefix, "must be an address with text fields"))))
                .map(form -> validatedWithPrefix(form, fieldPrefix))
                .map(ShippingAddress::of);
    }

    private static AddressForm validatedWithPrefix(AddressForm form, String prefix) {
        try {
            return form.validated();
        }
        catch (InvalidFields e) {
            throw new InvalidFields(e.errors().stream()
                    .map(error -> new FieldError(prefix + "." + error.field(), error.message()))
                    .toList());
        }
    }

    /** The whole book in one page: it never holds more than {@code maxPerUser} addresses. */
    Mono<Page<Address>> list(String userId) {
        return addresses.findAll(userId)
                .collectList()
                .map(all -> new Page<>(all, 0, maxPerUser, all.size()));
    }

    Mono<Address> find(String userId, UUID id) {
        return addresses.find(userId, id)
                .switchIfEmpty(notFound(id));
    }

    Mono<Address> add(String userId, AddressForm submitted) {
        return Mono.fromCallable(submitted::validated)
                .flatMap(form -> transactions.transactional(addresses.lockBookOf(userId)
                        .then(addresses.count(userId))
                        .flatMap(count -> insert(userId, form, count))));
    }

    Mono<Address> replace(String userId, UUID id, AddressForm submitted) {
        return Mono.fromCallable(submitted::validated)
                .flatMap(form -> transactions.transactional(addresses.lockBookOf(userId)
                        .then(find(userId, id))
                        .flatMap(current -> form.makeDefault() ? addresses.clearDefault(userId, id) : Mono.empty())
                        .then(addresses.update(userId, id, form))
                        .switchIfEmpty(notFound(id))));
    }

    Mono<Address> makeDefault(String userId, UUID id) {
        return transactions.transactional(addresses.lockBookOf(userId)
                .then(find(userId, id))
                .flatMap(current -> current.isDefault() ? Mono.just(current) : moveDefaultTo(userId, id)));
    }

    /** Deletes the address; when it was the default, the newest one left becomes the default. */
    Mono<Void> remove(String userId, UUID id) {
        return transactions.transactional(addresses.lockBookOf(userId)
                .then(addresses.delete(userId, id))
                .switchIfEmpty(notFound(id))
                .flatMap(wasDefault -> wasDefault ? addresses.promoteNewest(userId) : Mono.<Void>empty()));
    }

    private Mono<Address> insert(String userId, AddressForm form, long count) {
        if (count >= maxPerUser) {
            return Mono.error(new Conflict("address-limit-reached",
                    "An address book holds at most " + maxPerUser + " addresses; delete one first"));
        }
        UUID id = UUID.randomUUID();
        boolean isDefault = count == 0 || form.makeDefault();
        return (isDefault ? addresses.clearDefault(userId, id) : Mono.<Void>empty())
                .then(addresses.insert(userId, id, form, isDefault));
    }

    private Mono<Address> moveDefaultTo(String userId, UUID id) {
        return addresses.clearDefault(userId, id)
                .then(addresses.markDefault(userId, id));
    }

    /** The same answer for another shopper's address as for one that never existed. */
    private static <T> Mono<T> notFound(UUID id) {
        return Mono.error(() -> new NotFound("address", id.toString()));
    }
}
