package dev.surge.order.address;

import java.net.URI;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.service.web.CanonicalUuid;
import dev.surge.service.web.Page;
import reactor.core.publisher.Mono;

/**
 * {@code /api/users/me/addresses}: only ever the caller's own address book. The owner is the
 * token's subject, never a path, query or body value.
 */
@RestController
@RequestMapping("/api/users/me/addresses")
class AddressController {

    private static final String PATH = "/api/users/me/addresses/";
    private final AddressBook book;

    AddressController(AddressBook book) {
        this.book = book;
    }

    @GetMapping
    Mono<Page<Address>> list(@AuthenticationPrincipal Jwt token) {
        return book.list(token.getSubject());
    }

    @PostMapping
    Mono<ResponseEntity<Address>> add(@AuthenticationPrincipal Jwt token, @RequestBody AddressForm form) {
        return book.add(token.getSubject(), form)
                .map(added -> ResponseEntity.created(URI.create(PATH + added.id())).body(added));
    }

    @GetMapping("/{id}")
    Mono<Address> one(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return addressId(id)
                .flatMap(address -> book.find(token.getSubject(), address));
    }

    @PutMapping("/{id}")
    Mono<Address> replace(@AuthenticationPrincipal Jwt token, @PathVariable String id,
            @RequestBody AddressForm form) {
        return addressId(id)
                .flatMap(address -> book.replace(token.getSubject(), address, form));
    }

    @PostMapping("/{id}/default")
    Mono<Address> makeDefault(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return addressId(id)
                .flatMap(address -> book.makeDefault(token.getSubject(), address));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> remove(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return addressId(id)
                .flatMap(address -> book.remove(token.getSubject(), address))
                .thenReturn(ResponseEntity.noContent().<Void>build());
    }

    private static Mono<UUID> addressId(String raw) {
        return Mono.fromCallable(() -> CanonicalUuid.required("id", raw));
    }
}
