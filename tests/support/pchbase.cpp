// The source of strata_testpch_gui (tests/CMakeLists.txt): it only compiles the GUI tests'
// precompiled header.
