// clicktrail: email and ad engagement tracking. One include for the whole public API.
#pragma once

#include "clicktrail/base64url.hpp"
#include "clicktrail/cli.hpp"
#include "clicktrail/edge.hpp"
#include "clicktrail/entities.hpp"
#include "clicktrail/html_tokenizer.hpp"
#include "clicktrail/json_api.hpp"
#include "clicktrail/linkify.hpp"
#include "clicktrail/result.hpp"
#include "clicktrail/rewrite.hpp"
#include "clicktrail/sha256.hpp"
#include "clicktrail/track.hpp"
#include "clicktrail/traffic.hpp"
#include "clicktrail/url.hpp"
