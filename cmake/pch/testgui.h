// Precompiled for the GUI test executables (StrataPch.cmake). Only system and Qt headers.
#pragma once
#include "test.h"
#include "ui.h"
