// Precompiled for the GUI test executables (StrataPch.cmake). Only system and Qt headers.
#pragma once
#include "ui.h"
#include "test.h"
