// The Catch2 runner of the protocol unit tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
